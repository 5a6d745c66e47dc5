// scnn_int8_mul8x8: an 8x8-bit signed multiplier with registered operands and a registered product
// (Verilog-2005). Not part of the int8 datapath: it is the binary reference component that
// docs/HARDWARE_COST.md sets beside published figures (UnarySim's "8x8 binary multiplier with registers").
module scnn_int8_mul8x8 (
    input  wire              clk,
    input  wire signed [7:0] a,
    input  wire signed [7:0] b,
    output reg  signed [15:0] p
);
    reg signed [7:0] ra, rb;
    wire signed [15:0] a16 = {{8{ra[7]}}, ra};
    wire signed [15:0] b16 = {{8{rb[7]}}, rb};
    always @(posedge clk) begin
        ra <= a;
        rb <= b;
        p <= a16 * b16;
    end
endmodule
