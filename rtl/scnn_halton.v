// scnn_halton — Halton / van der Corput stochastic number generator in prime base B (docs/SEMANTICS.md §3.3).
//   state:  K base-B digits d_0 (least significant) .. d_{K-1} of the counter (offset + t) mod B^K, DW bits
//           each, and the digit-reversed value u = sum_i d_i * B^(K-1-i) < B^K <= 2^N
//   step:   for i = 0, 1, ...: if d_i < B-1 then d_i += 1, u += PLACE_i, stop;
//           else d_i = 0, u -= (B-1) * PLACE_i, continue                      (PLACE_i = B^(K-1-i))
//   output: r = u (no rotation), range M = B^K
// Parameters: N 3..32 output bits; B base; K 1..32 digits; DW bits per digit; RESET_D the reset digits
// (digit i in bits [DW*i +: DW]); RESET_U; PLACES (PLACE_i in bits [32i +: 32]).
// Ports: clk, rst (sync, active high), en (step), r (N bits).
module scnn_halton #(
    parameter integer N = 8,
    parameter integer B = 3,
    parameter integer K = 5,
    parameter integer DW = 2,
    parameter [32*6-1:0] RESET_D = {32*6{1'b0}},
    parameter [31:0] RESET_U = 32'h0,
    parameter [32*32-1:0] PLACES = {32*32{1'b0}}
) (
    input wire clk,
    input wire rst,
    input wire en,
    output wire [N-1:0] r
);
    localparam integer TOPI = B - 1;
    localparam [DW-1:0] TOP = TOPI[DW-1:0];  // the largest digit
    reg [DW*K-1:0] d, d_next;
    reg [N-1:0] u, u_next;
    reg carry;
    integer i;
    always @* begin
        d_next = d;
        u_next = u;
        carry = 1'b1;
        for (i = 0; i < K; i = i + 1) begin
            if (carry) begin
                if (d[DW*i +: DW] != TOP) begin
                    d_next[DW*i +: DW] = d[DW*i +: DW] + {{(DW-1){1'b0}}, 1'b1};
                    u_next = u_next + PLACES[32*i +: N];
                    carry = 1'b0;
                end else begin
                    d_next[DW*i +: DW] = {DW{1'b0}};
                    u_next = u_next - TOP * PLACES[32*i +: N];
                end
            end
        end
    end
    always @(posedge clk) begin
        if (rst) begin
            d <= RESET_D[DW*K-1:0];
            u <= RESET_U[N-1:0];
        end else if (en) begin
            d <= d_next;
            u <= u_next;
        end
    end
    assign r = u;
endmodule
