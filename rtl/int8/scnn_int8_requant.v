// scnn_int8_requant: TFLite integer-only requantization of one accumulator per clock, three pipeline stages
// (Verilog-2005). Bit-exact with engine/int8 (fixed_point.hpp):
//   s   = acc + bias                                   (SW bits; the emitter sizes SW so it never wraps)
//   x   = LSH ? saturate32(s << lsh) : s               (TFLite's left shift, only built when some channel has one)
//   h   = (x * mult + 2^30) >>> 31                     (SaturatingRoundingDoublingHighMul; mult in [2^30, 2^31) or 0,
//                                                       so its only overflow case cannot occur)
//   q   = (h >>> rsh) + ((h & mask) > (mask >> 1) + (h < 0)),  mask = 2^rsh - 1   (RoundingDivideByPOT)
//   out = clamp(q + zp_out, act_min, act_max)
// Timing: acc, tag and in_valid are sampled at clock t; bias, mult, rsh and lsh (a registered ROM read
// addressed at t) are used at t+1; out, out_tag and out_valid are valid after the edge ending t+3.
// zp_out, act_min and act_max must be stable while values are in flight.
module scnn_int8_requant #(
    parameter AW  = 24,  // accumulator width
    parameter BW  = 20,  // bias width
    parameter SW  = 25,  // width of acc + bias, > max(AW, BW), <= 33
    parameter LSH = 0,   // 1: build the saturating left shift (some channel has shift > 0)
    parameter TW  = 8    // tag width (the destination address travels with the value)
) (
    input  wire                 clk,
    input  wire                 in_valid,
    input  wire signed [AW-1:0] acc,
    input  wire [TW-1:0]        in_tag,
    input  wire signed [BW-1:0] bias,
    input  wire [30:0]          mult,
    input  wire [4:0]           rsh,     // right shift, 0..31
    input  wire [4:0]           lsh,     // left shift, 0..30 (ignored when LSH = 0)
    input  wire signed [8:0]    zp_out,  // output zero point, [-128, 127]
    input  wire signed [7:0]    act_min,
    input  wire signed [7:0]    act_max,
    output reg                  out_valid,
    output reg  signed [7:0]    out,
    output reg  [TW-1:0]        out_tag
);
    localparam XW = (LSH != 0) ? 32 : SW;  // multiplier input width
    localparam PW = XW + 32;        // product width
    localparam HW = XW + 1;         // high-mul result width
    localparam EW = HW + 32;        // rounding-divide width (room for the 32-bit mask)

    // stage 0: the operands arrive; the ROM word is read
    reg                 v0;
    reg signed [AW-1:0] a0;
    reg [TW-1:0]        t0;
    always @(posedge clk) begin
        v0 <= in_valid;
        a0 <= acc;
        t0 <= in_tag;
    end

    // stage 1: s = acc + bias, optional saturating left shift; register x and the channel's shift/mult
    wire signed [SW-1:0] s = {{(SW - AW){a0[AW-1]}}, a0} + {{(SW - BW){bias[BW-1]}}, bias};
    wire signed [XW-1:0] x;
    generate
        if (LSH != 0) begin : g_lsh
            wire signed [SW+30:0] wide = {{31{s[SW-1]}}, s} <<< lsh;
            wire signed [SW+30:0] hi = {{(SW - 1){1'b0}}, 32'h7fffffff};
            wire signed [SW+30:0] lo = {{(SW - 1){1'b1}}, 32'h80000000};
            assign x = wide > hi ? 32'h7fffffff : wide < lo ? 32'h80000000 : wide[31:0];
        end else begin : g_nolsh
            wire [4:0] unused_lsh = lsh;
            assign x = s;
        end
    endgenerate
    reg                 v1;
    reg signed [XW-1:0] x1;
    reg [30:0]          m1;
    reg [4:0]           r1;
    reg [TW-1:0]        t1;
    always @(posedge clk) begin
        v1 <= v0;
        x1 <= x;
        m1 <= mult;
        r1 <= rsh;
        t1 <= t0;
    end

    // stage 2: the product
    reg                 v2;
    reg signed [PW-1:0] p2;
    reg [4:0]           r2;
    reg [TW-1:0]        t2;
    wire signed [PW-1:0] xe = {{32{x1[XW-1]}}, x1};
    wire signed [PW-1:0] me = {{(XW + 1){1'b0}}, m1};
    always @(posedge clk) begin
        v2 <= v1;
        p2 <= xe * me;
        r2 <= r1;
        t2 <= t1;
    end

    // stage 3: rounding high half, rounding divide by 2^rsh, zero point, clamp
    // verilator lint_off UNUSEDSIGNAL
    // (the low 31 bits of `rounded` are the discarded fraction; `c` is in [-128, 127], only its low byte is kept)
    wire signed [PW-1:0] rounded = p2 + {{(PW - 31){1'b0}}, 1'b1, 30'b0};
    wire signed [HW-1:0] h = rounded[PW-1:31];
    wire signed [EW-1:0] he = {{32{h[HW-1]}}, h};
    wire [EW-1:0] mask = {{HW{1'b0}}, (32'd1 << r2) - 32'd1};
    wire [EW-1:0] thr = {1'b0, mask[EW-1:1]} + {{(EW - 1){1'b0}}, h[HW-1]};
    wire [EW-1:0] rem = he & mask;
    wire signed [EW-1:0] hs = he >>> r2;  // its own signed wire: inside an unsigned expression >>> would not sign-fill
    wire signed [EW-1:0] q = hs + {{(EW - 1){1'b0}}, rem > thr};
    wire signed [EW-1:0] y = q + {{(EW - 9){zp_out[8]}}, zp_out};
    wire signed [EW-1:0] lo8 = {{(EW - 8){act_min[7]}}, act_min};
    wire signed [EW-1:0] hi8 = {{(EW - 8){act_max[7]}}, act_max};
    wire signed [EW-1:0] c = y < lo8 ? lo8 : y > hi8 ? hi8 : y;
    // verilator lint_on UNUSEDSIGNAL
    always @(posedge clk) begin
        out_valid <= v2;
        out <= c[7:0];
        out_tag <= t2;
    end
endmodule
