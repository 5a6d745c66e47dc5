// scnn_ramp — ramp (up-counter) stochastic number generator (docs/SEMANTICS.md §3.4).
//   state u: N bits; reset RESET = offset mod 2^N;  step u' = (u + 1) mod 2^N;  output r = rotl_N(u, ROT).
// Parameters: N 3..32, RESET, ROT 0..N-1. Ports: clk, rst (sync, active high), en (step), r (N bits).
module scnn_ramp #(
    parameter integer N = 8,
    parameter [31:0] RESET = 32'h0,
    parameter integer ROT = 0
) (
    input wire clk,
    input wire rst,
    input wire en,
    output wire [N-1:0] r
);
    reg [N-1:0] u;
    always @(posedge clk) begin
        if (rst) u <= RESET[N-1:0];
        else if (en) u <= u + {{(N-1){1'b0}}, 1'b1};
    end
    scnn_rotl #(.N(N), .ROT(ROT)) u_rot (.x(u), .y(r));
endmodule
