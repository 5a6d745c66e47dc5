// scnn_or_adder — OR adder, split-unipolar (docs/SEMANTICS.md §9.3): delta = [some product is +1] -
// [some product is -1], as the pair (dp, dn) (both may be 1: delta = 0). Combinational.
module scnn_or_adder #(
    parameter integer N = 2
) (
    input wire [N-1:0] pp,
    input wire [N-1:0] pn,
    output wire dp,
    output wire dn
);
    assign dp = |pp;
    assign dn = |pn;
endmodule
