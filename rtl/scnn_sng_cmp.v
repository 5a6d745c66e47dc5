// scnn_sng_cmp — comparator SNG (docs/SEMANTICS.md §2.3): bit = (r < T), unsigned.
// r: N bits, a generator's output in [0, M); T: N+1 bits, a threshold in [0, M] (T = 0: never 1, T = M:
// always 1). Combinational.
module scnn_sng_cmp #(
    parameter integer N = 8
) (
    input wire [N-1:0] r,
    input wire [N:0] t,
    output wire bit_out
);
    assign bit_out = {1'b0, r} < t;
endmodule
