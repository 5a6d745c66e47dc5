// scnn_apc — accumulative parallel counter (docs/SEMANTICS.md §4.3): count = number of ones among the N
// inputs, exact, in [0, N]. CW >= ceil(log2(N + 1)). Combinational.
// Structure (for synthesis): a tree. The last input is the carry-in of the adder that sums the counts of the
// two halves of the other N - 1, each at its own width, so the whole counter costs about N - log2(N) full
// adders. keep_hierarchy makes yosys map each distinct N once (a sub-tree of a given N is the same module
// everywhere) instead of re-optimizing every copy in one flat netlist; simulators ignore the attribute.
(* keep_hierarchy *)
module scnn_apc #(
    parameter integer N = 4,
    parameter integer CW = 3
) (
    input wire [N-1:0] in,
    output wire [CW-1:0] count
);
    generate
        if (N == 1) begin : g_one
            wire [CW:0] ext = {{CW{1'b0}}, in[0]};
            assign count = ext[CW-1:0];
            wire unused_ext = ext[CW];
        end else begin : g_tree
            localparam integer NA = (N - 1) / 2;  // 0 when N = 2
            localparam integer NB = N - 1 - NA;
            localparam integer WB = $clog2(NB + 1);
            wire [CW-1:0] ca, cb;
            if (NA == 0) begin : g_no_a
                assign ca = {CW{1'b0}};
            end else begin : g_a
                localparam integer WA = $clog2(NA + 1);
                wire [WA-1:0] c;
                scnn_apc #(.N(NA), .CW(WA)) u_a (.in(in[NA-1:0]), .count(c));
                assign ca = {{(CW-WA){1'b0}}, c};
            end
            wire [WB-1:0] c_b;
            scnn_apc #(.N(NB), .CW(WB)) u_b (.in(in[N-2:NA]), .count(c_b));
            assign cb = {{(CW-WB){1'b0}}, c_b};
            assign count = ca + cb + {{(CW-1){1'b0}}, in[N-1]};
        end
    endgenerate
endmodule
