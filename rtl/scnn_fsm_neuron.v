// scnn_fsm_neuron — FSM neuron (Btanh after an APC, Stanh after a mux/OR adder), one step
// (docs/SEMANTICS.md §9.3, neuron.kind = fsm): an up/down counter with no feedback. Combinational; the
// state register lives outside.
//   acc' = clamp(acc + D*delta, ACC_MIN, ACC_MAX)
//   y(t+1) = +1 if acc' >= 0; else -1 if SIGNED_OUT or BIPOLAR; else 0
// Widths: acc AW, delta DW (two's complement), arithmetic IW bits.
module scnn_fsm_neuron #(
    parameter integer AW = 16,
    parameter integer DW = 8,
    parameter integer IW = 40,
    parameter signed [63:0] D = 64'sd1,
    parameter signed [63:0] ACC_MIN = -64'sd8,
    parameter signed [63:0] ACC_MAX = 64'sd7,
    parameter integer BIPOLAR = 0,
    parameter integer SIGNED_OUT = 0
) (
    input wire signed [AW-1:0] acc,
    input wire signed [DW-1:0] delta,
    output wire signed [AW-1:0] acc_next,
    output wire y_pos_next,
    output wire y_neg_next
);
    localparam signed [IW-1:0] DI = D[IW-1:0];
    localparam signed [IW-1:0] LO = ACC_MIN[IW-1:0];
    localparam signed [IW-1:0] HI = ACC_MAX[IW-1:0];
    wire signed [IW-1:0] acc_x = {{(IW-AW){acc[AW-1]}}, acc};
    wire signed [IW-1:0] d_x = {{(IW-DW){delta[DW-1]}}, delta};
    wire signed [IW-1:0] sum = acc_x + DI * d_x;
    wire signed [IW-1:0] cl = (sum < LO) ? LO : ((sum > HI) ? HI : sum);
    assign acc_next = cl[AW-1:0];
    assign y_pos_next = cl >= 0;
    assign y_neg_next = (cl < 0) && (SIGNED_OUT != 0 || BIPOLAR != 0);
    wire unused_cl = &{1'b0, cl[IW-1:AW]};
endmodule
