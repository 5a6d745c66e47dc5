// scnn_int8_mac: one multiply-accumulate lane of the int8 datapath (Verilog-2005).
// Two pipeline stages: the product (x - zero_point) * w is registered (17 bits: |255 * 128| < 2^16), then
// added into the accumulator (AW bits, two's complement; the emitter sizes AW to the layer's worst case
// 255 * sum|w|, so it never wraps). A lane of a row of lanes also shifts: during shift-out every lane loads
// its right neighbour's accumulator, and lane 0 feeds the shared requantizer one value per clock.
module scnn_int8_mac #(
    parameter AW = 24  // accumulator width in bits, 18..32
) (
    input  wire                 clk,
    input  wire                 mul_en,     // register d * w this clock
    input  wire signed [8:0]    d,          // x - zero_point, in [-255, 255]
    input  wire signed [7:0]    w,          // int8 weight, [-127, 127]
    input  wire                 acc_en,     // add the registered product this clock
    input  wire                 acc_first,  // the first product of a sum: load it instead of adding
    input  wire                 shift_en,   // shift-out: acc <= shift_in (has priority over acc_en)
    input  wire signed [AW-1:0] shift_in,
    output reg  signed [AW-1:0] acc
);
    reg signed [16:0] prod;
    wire signed [16:0] d17 = {{8{d[8]}}, d};
    wire signed [16:0] w17 = {{9{w[7]}}, w};
    wire signed [AW-1:0] prod_ext = {{(AW - 17){prod[16]}}, prod};

    always @(posedge clk) begin
        if (mul_en) prod <= d17 * w17;
        if (shift_en) acc <= shift_in;
        else if (acc_en) acc <= acc_first ? prod_ext : acc + prod_ext;
    end
endmodule
