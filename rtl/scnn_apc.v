// scnn_apc — accumulative parallel counter (docs/SEMANTICS.md §4.3): count = number of ones among the N
// inputs, exact, in [0, N]. CW >= ceil(log2(N + 1)). Combinational.
module scnn_apc #(
    parameter integer N = 4,
    parameter integer CW = 3
) (
    input wire [N-1:0] in,
    output reg [CW-1:0] count
);
    integer i;
    always @* begin
        count = {CW{1'b0}};
        for (i = 0; i < N; i = i + 1) count = count + {{(CW-1){1'b0}}, in[i]};
    end
endmodule
