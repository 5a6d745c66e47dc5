// scnn_mux_adder — MUX adder (docs/SEMANTICS.md §4.2, §9.3): out = product sel of N, as the signed pair
// (dp, dn); a select past the last input gives 0. Combinational.
module scnn_mux_adder #(
    parameter integer N = 2,
    parameter integer SW = 1
) (
    input wire [N-1:0] pp,
    input wire [N-1:0] pn,
    input wire [SW-1:0] sel,
    output wire dp,
    output wire dn
);
    localparam [31:0] N32 = N;
    wire in_range = {{(32-SW){1'b0}}, sel} < N32;
    assign dp = in_range ? pp[sel] : 1'b0;
    assign dn = in_range ? pn[sel] : 1'b0;
endmodule
