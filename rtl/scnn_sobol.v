// scnn_sobol — Sobol stochastic number generator, one dimension (docs/SEMANTICS.md §3.2).
//   state:  counter k (N bits) and value u (N bits); reset k = RESET_K = offset mod 2^N, u = RESET_U (the
//           closed form of k, computed on the host)
//   step:   k' = (k + 1) mod 2^N;  u' = 0 if k' = 0 else u ^ C[ctz(k')]     (ctz(k + 1) = trailing ones of k)
//   output: r = rotl_N(u, ROT)
// Parameters: N 3..32; CTAB the cumulative direction table, C[c] = V_0 ^ ... ^ V_c in bits [32c +: N]
// (c = 0 .. N-1); RESET_K, RESET_U; ROT 0..N-1. Ports: clk, rst (sync, active high), en (step), r.
module scnn_sobol #(
    parameter integer N = 8,
    parameter [32*32-1:0] CTAB = {32*32{1'b0}},
    parameter [31:0] RESET_K = 32'h0,
    parameter [31:0] RESET_U = 32'h0,
    parameter integer ROT = 0
) (
    input wire clk,
    input wire rst,
    input wire en,
    output wire [N-1:0] r
);
    reg [N-1:0] k, u;
    reg [N-1:0] c_sel;  // C[ctz(k + 1)], found by scanning the trailing ones of k
    reg found;
    integer i;
    always @* begin
        c_sel = CTAB[N-1:0];
        found = 1'b0;
        for (i = 0; i < N; i = i + 1) begin
            if (!found && !k[i]) begin
                c_sel = CTAB[32*i +: N];
                found = 1'b1;
            end
        end
    end
    always @(posedge clk) begin
        if (rst) begin
            k <= RESET_K[N-1:0];
            u <= RESET_U[N-1:0];
        end else if (en) begin
            k <= k + {{(N-1){1'b0}}, 1'b1};
            u <= (&k) ? {N{1'b0}} : (u ^ c_sel);
        end
    end
    scnn_rotl #(.N(N), .ROT(ROT)) u_rot (.x(u), .y(r));
endmodule
