// scnn_lfsr_fib — Fibonacci LFSR stochastic number generator (docs/SEMANTICS.md §3.0, §3.1).
//   state s: N bits, never 0; reset value RESET (the seed already advanced by the plan's offset, host-side)
//   step:    f = parity(s & POLY);  s' = ((s << 1) | f) & (2^N - 1)          (when en = 1)
//   output:  r = rotl_N(s, ROT) - 1, in [0, 2^N - 2]                          (combinational, Moore)
// Parameters: N 3..32, POLY tap mask (bit k-1 = tap k, bit N-1 set), RESET 1..2^N-1, ROT 0..N-1.
// Ports: clk, rst (synchronous, active high: s = RESET), en (advance one SC cycle), r (N bits).
module scnn_lfsr_fib #(
    parameter integer N = 8,
    parameter [31:0] POLY = 32'hB8,
    parameter [31:0] RESET = 32'h1,
    parameter integer ROT = 0
) (
    input wire clk,
    input wire rst,
    input wire en,
    output wire [N-1:0] r
);
    reg [N-1:0] s;
    wire [N-1:0] rot;
    always @(posedge clk) begin
        if (rst) s <= RESET[N-1:0];
        else if (en) s <= {s[N-2:0], ^(s & POLY[N-1:0])};
    end
    scnn_rotl #(.N(N), .ROT(ROT)) u_rot (.x(s), .y(rot));
    assign r = rot - {{(N-1){1'b0}}, 1'b1};
endmodule
