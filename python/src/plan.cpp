// scnn.Plan (a compiled SC plan and its simulator) and Model.compile.
#include <fmt/core.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "engine/compile/calibration.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/io/plan_json.hpp"
#include "engine/ir/error.hpp"
#include "engine/sim/simulate.hpp"
#include "images.hpp"
#include "model.hpp"

namespace scnn::python {

namespace {

/// A validated plan and the fast simulator prepared for it (the simulator holds the plan).
struct Plan {
    std::shared_ptr<const sim::Simulator> sim;
    explicit Plan(const ir::ScPlan& plan) : sim(std::make_shared<const sim::Simulator>(plan)) {}
    [[nodiscard]] const ir::ScPlan& plan() const { return sim->plan(); }
    [[nodiscard]] std::int64_t classes() const { return plan().stages.empty() ? 0 : plan().stages.back().out.size(); }
};

Plan make_plan(ir::ScPlan p) {
    py::gil_scoped_release release;
    return Plan(p);
}

ImageBatch images_for(const Plan& p, const py::handle& images) {
    return image_batch(images, p.plan().input.size(), ir::to_string(p.plan().input));
}

/// Per-class counts Σ_t Δ(t) of every image, (N, classes) int64.
py::array_t<std::int64_t> counts(const Plan& p, const py::handle& images, int threads) {
    const ImageBatch b = images_for(p, images);
    const auto per = std::size_t(p.plan().input.size());
    const auto k = p.classes();
    py::array_t<std::int64_t> out({py::ssize_t(b.count), py::ssize_t(k)});
    std::int64_t* dst = out.mutable_data();
    py::gil_scoped_release release;
    parallel_for(b.count, threads, [&](std::int64_t i) {
        const auto c = p.sim->run(b.pixels.subspan(std::size_t(i) * per, per));
        std::copy(c.begin(), c.end(), dst + i * k);
    });
    return out;
}

/// Counts by the literal cycle-by-cycle reference (slow; for checks): as counts().
py::array_t<std::int64_t> reference_counts(const Plan& p, const py::handle& images) {
    const ImageBatch b = images_for(p, images);
    const auto per = std::size_t(p.plan().input.size());
    const auto k = p.classes();
    py::array_t<std::int64_t> out({py::ssize_t(b.count), py::ssize_t(k)});
    std::int64_t* dst = out.mutable_data();
    py::gil_scoped_release release;
    for (std::int64_t i = 0; i < b.count; ++i) {
        const auto c = sim::reference_run(p.plan(), b.pixels.subspan(std::size_t(i) * per, per));
        std::copy(c.begin(), c.end(), dst + i * k);
    }
    return out;
}

/// Predictions (N,) int64; with early_exit = margin ≥ 0 each image stops early (docs/SEMANTICS.md §9.8)
/// and, with return_cycles, the cycles each image used come back too.
py::object predict(const Plan& p, const py::handle& images, const py::object& early_exit, int threads,
                   bool return_cycles) {
    const ImageBatch b = images_for(p, images);
    std::int64_t margin = -1;
    if (!early_exit.is_none()) {
        margin = early_exit.cast<std::int64_t>();
        if (margin < 0) throw Error(fmt::format("early_exit must be a margin >= 0 (or None), got {}", margin));
    }
    std::vector<int> pred;
    std::vector<std::int64_t> cycles;
    {
        py::gil_scoped_release release;
        pred = p.sim->predict_all(b.pixels, b.count, threads, {}, margin, &cycles);
    }
    py::array_t<std::int64_t> out(py::ssize_t(pred.size()));
    std::copy(pred.begin(), pred.end(), out.mutable_data());
    if (!return_cycles) return out;
    py::array_t<std::int64_t> cyc(py::ssize_t(cycles.size()));
    std::copy(cycles.begin(), cycles.end(), cyc.mutable_data());
    return py::make_tuple(out, cyc);
}

/// Model.compile: the CLI's SC options (`scnn compile --help`), '-' written '_'.
Plan compile_model(const Model& m, std::int64_t length, const py::handle& calib, const py::kwargs& kw) {
    compile::CompileOptions o;
    o.length = length;
    std::string data = "fashion-mnist", calib_data;
    std::int64_t calib_images = compile::kDefaultScCalibImages;
    bool per_layer = false, no_fold_pools = false;
    for (const auto& [key, value] : kw) {
        const auto k = key.cast<std::string>();
        // clang-format off
        if (k == "sng") o.sng = option_list(value, "sng");
        else if (k == "width") o.width = option_list(value, "width");
        else if (k == "adder") o.adder = option_list(value, "adder");
        else if (k == "neuron") o.neuron = option_list(value, "neuron");
        else if (k == "seed") o.seed = value.cast<std::uint32_t>();
        else if (k == "encoding") o.encoding = value.cast<std::string>();
        else if (k == "sc_percentile") o.percentile = value.cast<double>();
        else if (k == "channel_ranges") o.channel_ranges = value.cast<bool>();
        else if (k == "per_layer") per_layer = value.cast<bool>();
        else if (k == "no_fold_pools") no_fold_pools = value.cast<bool>();
        else if (k == "sc_calib") calib_images = value.cast<std::int64_t>();
        else if (k == "sc_calib_data") calib_data = value.cast<std::string>();
        else if (k == "early_exit_every") o.early_exit_every = value.cast<std::int64_t>();
        else if (k == "data") data = value.cast<std::string>();
        else
            throw Error(fmt::format("Model.compile: unknown option '{}' (the CLI's SC options, '-' written '_': sng, "
                                    "width, seed, encoding, adder, neuron, sc_percentile, channel_ranges, per_layer, "
                                    "no_fold_pools, sc_calib, sc_calib_data, early_exit_every, data)", k));
        // clang-format on
    }
    o.per_channel = !per_layer;
    o.fold_pools = !no_fold_pools;
    std::vector<std::vector<float>> inputs;
    if (!calib.is_none()) {
        const ImageBatch b = image_batch(calib, m.net->input.size(), ir::to_string(m.net->input), "calib");
        inputs = compile::model_inputs(*m.net, b.pixels);
    }
    py::gil_scoped_release release;
    if (calib.is_none()) inputs = compile::calibration_inputs(*m.net, calib_data, calib_images, data);
    return Plan(compile::compile(*m.net, inputs, o, m.name));
}

}  // namespace

void bind_plan(py::module_& m) {
    py::class_<Plan>(m, "Plan", "A compiled SC plan (Model.compile, Plan.from_json) and its bit-accurate simulator")
        .def_property_readonly(
            "length", [](const Plan& p) { return p.plan().length; }, "Stream length L (cycles)")
        .def_property_readonly("classes", &Plan::classes, "Number of per-class counts")
        .def_property_readonly(
            "input_shape",
            [](const Plan& p) { return py::make_tuple(p.plan().input.c, p.plan().input.h, p.plan().input.w); },
            "(C, H, W) of one input")
        .def_property_readonly(
            "model", [](const Plan& p) { return p.plan().model; }, "Model it was compiled from")
        .def_property_readonly(
            "options", [](const Plan& p) { return p.plan().options; }, "Compile options, as text")
        .def_property(
            "early_exit_every", [](const Plan& p) { return p.plan().early_exit_every; },
            [](Plan& p, std::int64_t k) {
                ir::ScPlan copy = p.plan();
                copy.early_exit_every = k;
                p = make_plan(std::move(copy));
            },
            "Early-exit check interval K in cycles (docs/SEMANTICS.md §9.8); setting it does not change "
            "the compilation, as `scnn eval --plan P --early-exit-every K`")
        .def_property_readonly("encoding", [](const Plan& p) { return p.plan().encoding; })
        .def_property_readonly(
            "mean_abs_scc", [](const Plan& p) { return p.plan().mean_abs_scc; },
            "Measured mean |SCC| of stream pairs that must be independent")
        .def("counts", &counts, py::arg("images"), py::arg("threads") = 0,
             "Per-class counts of every image, (N, classes) int64 (docs/SEMANTICS.md §9)")
        .def("reference_counts", &reference_counts, py::arg("images"),
             "counts() by the literal cycle-by-cycle reference simulator (slow; bit-exact with counts)")
        .def("predict", &predict, py::arg("images"), py::arg("early_exit") = py::none(), py::arg("threads") = 0,
             py::arg("return_cycles") = false,
             "Predicted class per image, (N,) int64 (argmax of the counts, ties to the lowest); early_exit = a "
             "margin >= 0 stops each image early; return_cycles=True also returns the cycles each image used")
        .def(
            "to_json", [](const Plan& p) { return io::plan_to_json(p.plan()); }, "The plan as `scnn compile` writes it")
        .def_static(
            "from_json", [](const std::string& text) { return make_plan(io::plan_from_json(text)); }, py::arg("text"),
            "A plan from its JSON text (validated)")
        .def_static(
            "load", [](const std::string& path) { return make_plan(io::read_plan(path)); }, py::arg("path"),
            "Reads a plan file (scnn compile -o PATH)")
        .def("__repr__", [](const Plan& p) {
            return fmt::format("<scnn.Plan L={} {} stages, input {}, {} classes: {}>", p.plan().length,
                               p.plan().stages.size(), ir::to_string(p.plan().input), p.classes(), p.plan().options);
        });
    // Model.compile lives here, beside the Plan it returns (scnn.Model is registered by bind_model).
    py::object model_cls = m.attr("Model");
    model_cls.attr("compile") = py::cpp_function(
        &compile_model, py::name("compile"), py::is_method(model_cls), py::arg("length") = 256,
        py::arg("calib") = py::none(),
        "Compiles the model into an SC plan of stream length L with the CLI's SC options ('-' written '_': sng, "
        "width, seed, encoding, adder, neuron, sc_percentile, channel_ranges, per_layer, no_fold_pools, sc_calib, "
        "sc_calib_data, early_exit_every, data); calib = uint8 calibration images, None = the CLI's default set");
}

}  // namespace scnn::python
