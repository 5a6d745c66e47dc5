// Image batches from numpy, without a copy: a C-contiguous uint8 array of 0–255 pixels, (N, H, W) or
// (N, C, H, W) (also (N, pixels), as a CSV dataset reads), whose per-image size equals the model input.
// Anything else is a one-line scnn::Error (→ scnn.Error in Python). Also the per-image parallel loop the
// bindings run with the GIL released.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace scnn::python {

namespace py = pybind11;

/// A view of the caller's array; `keep` holds the array alive while the view is used.
struct ImageBatch {
    py::array keep;
    std::span<const std::uint8_t> pixels;  ///< count × per_image bytes
    std::int64_t count = 0;
};

/// Checks dtype (uint8), contiguity (C order), rank (2–4) and the per-image size (`per_image` values, the
/// model input `input_desc`); `what` names the argument in messages ("images", "calib").
ImageBatch image_batch(const py::handle& obj, std::int64_t per_image, const std::string& input_desc,
                       const char* what = "images");

/// Runs body(i) for i in [0, n) on `threads` threads (0 = all cores); the first exception is rethrown.
void parallel_for(std::int64_t n, int threads, const std::function<void(std::int64_t)>& body);

/// "a,b,c" from a str, an int or a sequence of them (the CLI's comma lists: --width 10,8).
std::string option_list(const py::handle& value, const char* name);

}  // namespace scnn::python
