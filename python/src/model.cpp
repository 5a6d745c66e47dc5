// scnn.load and scnn.Model: import (path or ONNX bytes), float and int8 predictions.
#include "model.hpp"

#include <fmt/core.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <string_view>

#include "bindings.hpp"
#include "engine/compile/calibration.hpp"
#include "engine/int8/int8_exec.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"
#include "images.hpp"

namespace scnn::python {

namespace {

Model load(const py::handle& src) {
    Model m;
    if (py::isinstance<py::bytes>(src) || py::isinstance<py::bytearray>(src) || py::isinstance<py::memoryview>(src)) {
        const std::string bytes = py::bytes(py::reinterpret_borrow<py::object>(src));
        py::gil_scoped_release release;
        m.net = std::make_shared<const ir::Network>(io::import_onnx_bytes(bytes, "<bytes>"));
        m.name = "<bytes>";
        return m;
    }
    const py::module_ os = py::module_::import("os");
    if (!py::isinstance<py::str>(src) && !py::hasattr(src, "__fspath__")) {
        throw Error("scnn.load takes a path (str or os.PathLike) or the bytes of an ONNX model");
    }
    m.name = os.attr("fspath")(src).cast<std::string>();
    py::gil_scoped_release release;
    m.net = std::make_shared<const ir::Network>(io::import_onnx(m.name));
    return m;
}

std::int64_t classes(const Model& m) { return m.net->output().size(); }

ImageBatch images_for(const Model& m, const py::handle& images, const char* what = "images") {
    return image_batch(images, m.net->input.size(), ir::to_string(m.net->input), what);
}

const int8::QuantizedNetwork& quantize(Model& m, const py::handle& calib, double percentile, std::int64_t calib_images,
                                       const std::string& calib_data) {
    std::vector<std::vector<float>> inputs;
    if (!calib.is_none()) {
        const ImageBatch b = images_for(m, calib, "calib");
        if (b.count == 0) throw Error("calib holds no images");
        inputs = compile::model_inputs(*m.net, b.pixels);
    } else {
        py::gil_scoped_release release;
        inputs = compile::calibration_inputs(*m.net, calib_data, calib_images);
    }
    if (!(percentile > 50.0 && percentile <= 100.0)) {
        throw Error(fmt::format("calibration percentile must be in (50, 100], got {}", percentile));
    }
    py::gil_scoped_release release;
    auto q = std::make_shared<const int8::QuantizedNetwork>(int8::quantize(*m.net, inputs, {percentile}));
    std::lock_guard lock(*m.qnet_mutex);
    m.qnet = q;
    return *q;
}

/// The int8 network, quantized with the CLI's defaults on first use.
std::shared_ptr<const int8::QuantizedNetwork> int8_network(Model& m) {
    {
        std::lock_guard lock(*m.qnet_mutex);
        if (m.qnet) return m.qnet;
    }
    quantize(m, py::none(), 100.0, compile::kDefaultInt8CalibImages, "");
    return m.qnet;
}

void check_mode(const std::string& mode) {
    if (mode != "float" && mode != "int8") {
        throw Error(fmt::format("mode must be 'float' or 'int8' (SC runs through Model.compile), got '{}'", mode));
    }
}

/// Scores of every image: float32 logits (float) or int8 output scores (int8), shape (N, classes).
py::array scores(Model& m, const py::handle& images, const std::string& mode, int threads) {
    check_mode(mode);
    const ImageBatch b = images_for(m, images);
    const auto per = std::size_t(m.net->input.size());
    const auto k = py::ssize_t(classes(m));
    if (mode == "float") {
        py::array_t<float> out({py::ssize_t(b.count), k});
        float* dst = out.mutable_data();
        py::gil_scoped_release release;
        parallel_for(b.count, threads, [&](std::int64_t i) {
            const auto s = ref::run(*m.net, ref::pixels_to_input(b.pixels.subspan(std::size_t(i) * per, per)));
            std::copy(s.begin(), s.end(), dst + i * k);
        });
        return out;
    }
    const auto q = int8_network(m);
    py::array_t<std::int8_t> out({py::ssize_t(b.count), k});
    std::int8_t* dst = out.mutable_data();
    py::gil_scoped_release release;
    parallel_for(b.count, threads, [&](std::int64_t i) {
        const auto x = ref::pixels_to_input(b.pixels.subspan(std::size_t(i) * per, per));
        const auto s = int8::run(*q, int8::quantize_input(*q, x));
        std::copy(s.begin(), s.end(), dst + i * k);
    });
    return out;
}

py::array_t<std::int64_t> predict(Model& m, const py::handle& images, const std::string& mode, int threads) {
    check_mode(mode);
    const ImageBatch b = images_for(m, images);
    const auto per = std::size_t(m.net->input.size());
    const auto q = mode == "int8" ? int8_network(m) : nullptr;
    py::array_t<std::int64_t> out(py::ssize_t(b.count));
    std::int64_t* dst = out.mutable_data();
    py::gil_scoped_release release;
    parallel_for(b.count, threads, [&](std::int64_t i) {
        const auto x = ref::pixels_to_input(b.pixels.subspan(std::size_t(i) * per, per));
        dst[i] = q ? int8::argmax(int8::run(*q, int8::quantize_input(*q, x))) : ref::argmax(ref::run(*m.net, x));
    });
    return out;
}

py::tuple shape_tuple(const ir::Shape& s) { return py::make_tuple(s.c, s.h, s.w); }

}  // namespace

void bind_model(py::module_& m) {
    py::class_<Model>(m, "Model", "A network imported from ONNX (scnn.load)")
        .def_readonly("name", &Model::name, "The path it was loaded from, or '<bytes>'")
        .def_property_readonly(
            "input_shape", [](const Model& x) { return shape_tuple(x.net->input); }, "(C, H, W) of one input")
        .def_property_readonly("classes", &classes, "Number of class scores")
        .def_property_readonly(
            "layers",
            [](const Model& x) {
                std::vector<std::string> names;
                for (const auto& l : x.net->layers) names.push_back(l.name);
                return names;
            },
            "Layer names, in order")
        .def("predict", &predict, py::arg("images"), py::arg("mode") = "float", py::arg("threads") = 0,
             "Predicted class per image, (N,) int64; mode 'float' or 'int8' (argmax, ties to the lowest class)")
        .def("scores", &scores, py::arg("images"), py::arg("mode") = "float", py::arg("threads") = 0,
             "Class scores per image, (N, classes): float32 logits, or the int8 output scores")
        .def(
            "quantize",
            [](Model& x, const py::handle& calib, double percentile, std::int64_t calib_images,
               const std::string& calib_data) -> Model& {
                quantize(x, calib, percentile, calib_images, calib_data);
                return x;
            },
            py::arg("calib") = py::none(), py::arg("percentile") = 100.0,
            py::arg("calib_images") = compile::kDefaultInt8CalibImages, py::arg("calib_data") = "",
            "Sets the int8 network of predict(mode='int8'): calibrated on `calib` (uint8 images), else on the "
            "first calib_images of calib_data (default: the CLI's, the Fashion-MNIST training split)",
            py::return_value_policy::reference)
        .def("__repr__", [](const Model& x) {
            return fmt::format("<scnn.Model '{}': {} layers, input {}, {} classes>", x.name, x.net->layers.size(),
                               ir::to_string(x.net->input), classes(x));
        });
    m.def("_load", &load, py::arg("source"), "Loads an ONNX model from a path or from its bytes");
}

}  // namespace scnn::python
