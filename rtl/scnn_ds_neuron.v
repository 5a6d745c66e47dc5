// scnn_ds_neuron — delta-sigma neuron, one step (docs/SEMANTICS.md §9.3, neuron.kind = delta-sigma).
// Combinational: the state registers live outside (a register file in the folded form), so this module
// maps (state, this cycle's input) to (next state, next output).
//   y(t) = (y_pos, y_neg) is the output of the current state (registered outside); delta = Δ(t)
//   acc' = clamp(acc + D*delta - k*y, ACC_MIN, ACC_MAX);  e_sum' = e_sum + y  (bipolar unsigned only)
//   y(t+1) from the new state:
//     split-unipolar: +1 if 2*acc' >= k; -1 if SIGNED_OUT and 2*acc' < -k; else 0
//     bipolar:        +1 if acc' >= 0 or (not SIGNED_OUT and e_sum' < 0); else -1
// Widths (two's complement): acc AW, e_sum EW, delta DW, k KW (unsigned, >= 1), arithmetic IW bits
// (IW covers |acc| + |D*delta| + k, checked by the emitter).
module scnn_ds_neuron #(
    parameter integer AW = 16,
    parameter integer EW = 10,
    parameter integer DW = 8,
    parameter integer KW = 16,
    parameter integer IW = 40,
    parameter signed [63:0] D = 64'sd256,
    parameter signed [63:0] ACC_MIN = -64'sd1024,
    parameter signed [63:0] ACC_MAX = 64'sd1024,
    parameter integer BIPOLAR = 0,
    parameter integer SIGNED_OUT = 0
) (
    input wire signed [AW-1:0] acc,
    input wire signed [EW-1:0] e_sum,
    input wire y_pos,
    input wire y_neg,
    input wire signed [DW-1:0] delta,
    input wire [KW-1:0] k,
    output wire signed [AW-1:0] acc_next,
    output wire signed [EW-1:0] e_next,
    output wire y_pos_next,
    output wire y_neg_next
);
    localparam signed [IW-1:0] DI = D[IW-1:0];
    localparam signed [IW-1:0] LO = ACC_MIN[IW-1:0];
    localparam signed [IW-1:0] HI = ACC_MAX[IW-1:0];
    wire signed [IW-1:0] acc_x = {{(IW-AW){acc[AW-1]}}, acc};
    wire signed [IW-1:0] d_x = {{(IW-DW){delta[DW-1]}}, delta};
    wire signed [IW-1:0] k_x = {{(IW-KW){1'b0}}, k};
    wire signed [IW-1:0] fb = y_pos ? k_x : (y_neg ? -k_x : {IW{1'b0}});
    wire signed [IW-1:0] sum = acc_x + DI * d_x - fb;
    wire signed [IW-1:0] cl = (sum < LO) ? LO : ((sum > HI) ? HI : sum);
    wire signed [IW-1:0] twice = cl + cl;
    assign acc_next = cl[AW-1:0];
    assign e_next = e_sum + (y_pos ? {{(EW-1){1'b0}}, 1'b1} : (y_neg ? {EW{1'b1}} : {EW{1'b0}}));
    generate
        if (BIPOLAR != 0) begin : g_bip
            assign y_pos_next = (cl >= 0) || (SIGNED_OUT == 0 && e_next < 0);
            assign y_neg_next = !y_pos_next;
        end else begin : g_split
            assign y_pos_next = twice >= k_x;
            assign y_neg_next = (SIGNED_OUT != 0) && (twice < -k_x);
        end
    endgenerate
    wire unused_cl = &{1'b0, cl[IW-1:AW]};
endmodule
