// The _scnn extension module; python/scnn/__init__.py re-exports it as `scnn`. docs/LIBRARY.md documents it.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>

#include "bindings.hpp"
#include "engine/io/dataset.hpp"
#include "engine/ir/error.hpp"

#ifndef SCNN_SOURCE_MODELS_DIR
#define SCNN_SOURCE_MODELS_DIR "models"
#endif

namespace py = pybind11;

namespace {

/// (images (N, H, W) uint8, labels (N,) uint8) of a dataset spec (engine/io/dataset.hpp).
py::tuple load_dataset(const std::string& spec, std::int64_t limit) {
    scnn::io::Dataset d;
    {
        py::gil_scoped_release release;
        d = scnn::io::load_dataset(spec, limit);
    }
    py::array_t<std::uint8_t> images({py::ssize_t(d.count), py::ssize_t(d.height), py::ssize_t(d.width)});
    std::copy(d.pixels.begin(), d.pixels.end(), images.mutable_data());
    py::array_t<std::uint8_t> labels(py::ssize_t(d.count));
    std::copy(d.labels.begin(), d.labels.end(), labels.mutable_data());
    return py::make_tuple(images, labels);
}

}  // namespace

PYBIND11_MODULE(_scnn, m) {
    m.doc() = "scnn engine: ONNX import, float / int8 inference, SC compiler and bit-accurate simulator";
    // scnn::Error → scnn.Error (a ValueError) with the same one-line message.
    py::register_exception<scnn::Error>(m, "Error", PyExc_ValueError);
    scnn::python::bind_model(m);
    scnn::python::bind_plan(m);
    m.def("_load_dataset", &load_dataset, py::arg("spec"), py::arg("limit") = 0);
    m.attr("_source_models_dir") = SCNN_SOURCE_MODELS_DIR;
}
