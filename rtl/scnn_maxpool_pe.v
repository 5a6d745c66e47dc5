// scnn_maxpool_pe — max pooling, running-max counter, one output, one step (docs/SEMANTICS.md §9.4).
// Combinational; the counters live outside.
//   inputs: cnt = the NW window slots' input counts C_i(t+1) = C_i(t) + e_i(t) (CW bits each, two's
//           complement), valid = which slots are real cells (padding slots are ignored), the output's emitted
//           count O(t) and its current output y(t)
//   O' = O + y;  m = max over valid slots of C_i (0 when no slot is valid)
//   y(t+1): split-unipolar +1 if m > O', -1 if m < O' (0 when no slot is valid);
//           bipolar +1 if m >= O' else -1
module scnn_maxpool_pe #(
    parameter integer NW = 4,
    parameter integer CW = 10,
    parameter integer BIPOLAR = 0
) (
    input wire [NW*CW-1:0] cnt,
    input wire [NW-1:0] valid,
    input wire signed [CW-1:0] o,
    input wire y_pos,
    input wire y_neg,
    output wire signed [CW-1:0] o_next,
    output wire y_pos_next,
    output wire y_neg_next
);
    reg signed [CW-1:0] m;
    reg any;
    integer i;
    always @* begin
        m = {CW{1'b0}};
        any = 1'b0;
        for (i = 0; i < NW; i = i + 1) begin
            if (valid[i] && (!any || $signed(cnt[CW*i +: CW]) > m)) m = cnt[CW*i +: CW];
            if (valid[i]) any = 1'b1;
        end
    end
    assign o_next = o + (y_pos ? {{(CW-1){1'b0}}, 1'b1} : (y_neg ? {CW{1'b1}} : {CW{1'b0}}));
    generate
        if (BIPOLAR != 0) begin : g_bip
            assign y_pos_next = m >= o_next;
            assign y_neg_next = m < o_next;
        end else begin : g_split
            assign y_pos_next = any && (m > o_next);
            assign y_neg_next = any && (m < o_next);
        end
    endgenerate
endmodule
