// scnn_out_counter — output counter (docs/SEMANTICS.md §4.4, §9.3): count' = count + delta, the per-class
// count of the final stage (Δ(t)) or of a pooled tail's streams (e(t)). Combinational adder; the register
// lives outside. Widths: count CW, delta DW (two's complement, DW <= CW).
module scnn_out_counter #(
    parameter integer CW = 16,
    parameter integer DW = 2
) (
    input wire signed [CW-1:0] count,
    input wire signed [DW-1:0] delta,
    output wire signed [CW-1:0] count_next
);
    assign count_next = count + {{(CW-DW){delta[DW-1]}}, delta};
endmodule
