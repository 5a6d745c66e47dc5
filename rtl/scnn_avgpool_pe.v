// scnn_avgpool_pe — average pooling, delta-sigma mean, one output, one step (docs/SEMANTICS.md §9.4).
// Combinational; the accumulator register lives outside.
//   inputs: the window's NW elements (xp, xn) of this cycle (padding cells 0, 0), the divisor n (window area
//           with count_include_pad, else the real cells), the accumulator A and the current output y
//   A' = A + sum_window(xp - xn) - n*y
//   y(t+1): split-unipolar +1 if 2A' >= n, -1 if 2A' < -n, else 0; bipolar +1 if A' >= 0 else -1
// Widths: A AW (two's complement), n NVW (unsigned).
module scnn_avgpool_pe #(
    parameter integer NW = 4,
    parameter integer AW = 8,
    parameter integer NVW = 3,
    parameter integer BIPOLAR = 0
) (
    input wire [NW-1:0] xp,
    input wire [NW-1:0] xn,
    input wire [NVW-1:0] n,
    input wire signed [AW-1:0] a,
    input wire y_pos,
    input wire y_neg,
    output wire signed [AW-1:0] a_next,
    output wire y_pos_next,
    output wire y_neg_next
);
    reg signed [AW-1:0] s;
    integer i;
    always @* begin
        s = a;
        for (i = 0; i < NW; i = i + 1)
            s = s + {{(AW-1){1'b0}}, xp[i]} - {{(AW-1){1'b0}}, xn[i]};
    end
    wire signed [AW-1:0] n_x = {{(AW-NVW){1'b0}}, n};
    assign a_next = s - (y_pos ? n_x : (y_neg ? -n_x : {AW{1'b0}}));
    wire signed [AW-1:0] twice = a_next + a_next;
    generate
        if (BIPOLAR != 0) begin : g_bip
            assign y_pos_next = a_next >= 0;
            assign y_neg_next = a_next < 0;
        end else begin : g_split
            assign y_pos_next = twice >= n_x;
            assign y_neg_next = twice < -n_x;
        end
    endgenerate
endmodule
