// The SC compiler's steps (docs/SEMANTICS.md §9.5), internal to engine/compile: compile() is
// PlanBuilder(...).build(). The builder walks the sequential IR once; every layer becomes a stage (a linear
// layer fused with the activation after it), and `vel` carries forward the real value of an all-ones stream
// on every element, so that the last stage's counts are proportional to the logits.
#pragma once

#include <string>
#include <vector>

#include "engine/compile/choices.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/ir/network.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::compile::detail {

bool is_linear_op(const ir::Op& op);      ///< Dense, Conv2d, Affine
bool is_activation_op(const ir::Op& op);  ///< Relu, Clip, Tanh, Sigmoid

/// A linear layer (Dense, Conv2d, Affine, or the identity affine of a lone activation) in a common form.
struct Linear {
    ir::StageKind kind;
    std::vector<float> w, b;
    int out_channels = 0;
    std::size_t per_channel = 0;  ///< weights per output channel
};

class PlanBuilder {
public:
    PlanBuilder(const ir::Network& original, const std::vector<std::vector<float>>& calibration,
                const CompileOptions& options);
    ir::ScPlan build(const std::string& model_name);

private:
    // whole-plan steps
    void check_options();
    void start_plan(const std::string& model_name);  ///< input generator and thresholds, options text
    void find_tail();                                ///< last linear layer; pools after it (pooled tail)
    void finish();                                   ///< list lengths, validation, measured |SCC|
    // one stage per layer; each fills `st` and returns the per-element scales after it
    std::vector<double> reshape_stage(const ir::Layer& L, ir::PlanStage& st) const;
    std::vector<double> pad_stage(const ir::Layer& L, ir::PlanStage& st) const;
    std::vector<double> pool_stage(const ir::Layer& L, ir::PlanStage& st) const;
    std::vector<double> linear_stage(std::size_t& i, ir::PlanStage& st);  ///< advances i past a fused activation
    // steps of a linear stage (linear_stage.cpp)
    std::vector<double> output_ranges(const ir::Op* activation, bool tail_head, std::size_t range_layer,
                                      Linear& lin, ir::PlanStage& st) const;
    std::vector<double> input_scales(const Linear& lin, const ir::Layer& L, const ir::PlanStage& st) const;
    std::vector<double> weight_scales(const Linear& lin, const std::vector<double>& vin, bool one_scale) const;
    std::int64_t add_generators(ir::PlanStage& st);  ///< weight (and mux select) generators; returns M
    void set_neuron(ir::PlanStage& st, const Linear& lin, const std::vector<double>& a,
                    const std::vector<double>& s, const std::string& mapping) const;
    void check_mapping(const ir::PlanStage& st, const ir::Layer& L, const std::string& mapping, bool final) const;
    double channel_scale(const ir::Shape& sh, int c) const {
        return vel_[std::size_t(c) * std::size_t(sh.h) * std::size_t(sh.w)];
    }

    const ir::Network net_;
    const std::vector<std::vector<float>>& calibration_;
    const CompileOptions& o_;
    const bool bipolar_;
    Choices adders_, neurons_, kinds_, widths_;
    std::vector<std::vector<double>> ranges_, full_ranges_;  ///< activation ranges [layer][channel + 1]
    int last_linear_ = -1, last_compute_ = -1;
    bool pooled_tail_ = false;
    std::vector<double> vel_;  ///< real value of an all-ones stream on each element at the current point
    ir::ScPlan plan_;
};

}  // namespace scnn::compile::detail
