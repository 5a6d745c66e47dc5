// scnn_mux_select — the MUX adder's select (docs/SEMANTICS.md §4.2, §9.3): sel = floor(r * NS / M) with
// r in [0, M) the select generator's output (RW bits), NS the number of slots (1 .. 2^24) and M the
// generator's range (2^RW, or B^K for Halton). SW >= ceil(log2(NS)). Combinational (a constant multiply
// and a constant divide; a shift when NS and M are powers of two).
module scnn_mux_select #(
    parameter integer RW = 8,
    parameter [63:0] NS = 64'd2,
    parameter [63:0] M = 64'd256,
    parameter integer SW = 1
) (
    input wire [RW-1:0] r,
    output wire [SW-1:0] sel
);
    wire [63:0] prod = {{(64-RW){1'b0}}, r} * NS;
    wire [63:0] quot = prod / M;
    assign sel = quot[SW-1:0];
    wire unused_quot = &{1'b0, quot[63:SW]};
endmodule
