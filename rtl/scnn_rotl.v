// scnn_rotl — rotl_N(x, ROT): rotate the N-bit word x left by the constant ROT (docs/SEMANTICS.md §0).
// Pure wiring. Parameters: N 1..32, ROT 0..N-1.
module scnn_rotl #(
    parameter integer N = 8,
    parameter integer ROT = 0
) (
    input wire [N-1:0] x,
    output wire [N-1:0] y
);
    generate
        if (ROT == 0) begin : g_id
            assign y = x;
        end else begin : g_rot
            assign y = {x[N-1-ROT:0], x[N-1:N-ROT]};
        end
    endgenerate
endmodule
