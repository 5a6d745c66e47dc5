// scnn_product — SC products of W signal elements with W weight streams (docs/SEMANTICS.md §4.1, §9.3),
// bit-parallel. Element i carries e_i in {-1, 0, +1} as the pair (xp_i, xn_i), never both 1 (a padding
// cell is 0, 0); w_i is its weight stream bit r_w(t) < |T_w|; wneg_i = (T_w < 0).
//   split-unipolar (BIPOLAR = 0): p = sign(T_w) * e * w      (AND gates: x_pos & w counts +sign, x_neg & w -sign)
//   bipolar        (BIPOLAR = 1): p = e * (2w - 1)            (XNOR; wneg is unused, T_w >= 0)
// Output: p_i as the pair (pp_i, pn_i). Combinational.
module scnn_product #(
    parameter integer W = 1,
    parameter integer BIPOLAR = 0
) (
    input wire [W-1:0] xp,
    input wire [W-1:0] xn,
    input wire [W-1:0] w,
    input wire [W-1:0] wneg,
    output wire [W-1:0] pp,
    output wire [W-1:0] pn
);
    generate
        if (BIPOLAR != 0) begin : g_xnor
            assign pp = (xp & w) | (xn & ~w);
            assign pn = (xp & ~w) | (xn & w);
            wire unused_wneg = &{1'b0, wneg};
        end else begin : g_and
            assign pp = w & ((xp & ~wneg) | (xn & wneg));
            assign pn = w & ((xn & ~wneg) | (xp & wneg));
        end
    endgenerate
endmodule
