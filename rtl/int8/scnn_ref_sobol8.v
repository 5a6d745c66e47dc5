// scnn_ref_sobol8: the project's Sobol generator (rtl/scnn_sobol.v) at 8 bits, first dimension (direction
// numbers V_c = 2^(7-c), cumulative table C[c] = V_0 ^ ... ^ V_c). Not part of a design: the component that
// docs/HARDWARE_COST.md sets beside UnarySim's published "8-bit Sobol generator".
module scnn_ref_sobol8 (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    output wire [7:0] r
);
    localparam [32*32-1:0] CTAB = {
        {24{32'h0}}, 32'hff, 32'hfe, 32'hfc, 32'hf8, 32'hf0, 32'he0, 32'hc0, 32'h80
    };
    scnn_sobol #(.N(8), .CTAB(CTAB), .RESET_K(32'h0), .RESET_U(32'h0), .ROT(0)) u_sobol (
        .clk(clk), .rst(rst), .en(en), .r(r)
    );
endmodule
