#include "images.hpp"

#include <fmt/core.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/ir/error.hpp"

namespace scnn::python {

ImageBatch image_batch(const py::handle& obj, std::int64_t per_image, const std::string& input_desc, const char* what) {
    if (!py::isinstance<py::array>(obj)) {
        throw Error(fmt::format("{} must be a numpy uint8 array, got {}", what,
                                std::string(py::str(obj.get_type().attr("__name__")))));
    }
    auto a = py::reinterpret_borrow<py::array>(obj);
    if (a.dtype().kind() != 'u' || a.itemsize() != 1) {
        throw Error(
            fmt::format("{} must have dtype uint8 (pixels 0-255), got {}", what, std::string(py::str(a.dtype()))));
    }
    if (a.ndim() < 2 || a.ndim() > 4) {
        throw Error(fmt::format("{} must be (N, H, W) or (N, C, H, W), got {} dimensions", what, a.ndim()));
    }
    if (!(a.flags() & py::array::c_style)) {
        throw Error(fmt::format("{} must be C-contiguous (np.ascontiguousarray makes a copy that is)", what));
    }
    std::int64_t per = 1;
    for (py::ssize_t d = 1; d < a.ndim(); ++d) per *= std::int64_t(a.shape(d));
    if (per != per_image) {
        throw Error(fmt::format("{} have {} values per image but the model input {} needs {}", what, per, input_desc,
                                per_image));
    }
    ImageBatch b;
    b.count = std::int64_t(a.shape(0));
    b.pixels = {static_cast<const std::uint8_t*>(a.data()), std::size_t(b.count * per)};
    b.keep = std::move(a);
    return b;
}

void parallel_for(std::int64_t n, int threads, const std::function<void(std::int64_t)>& body) {
    const unsigned hw = std::max(1U, std::thread::hardware_concurrency());
    const auto t = std::int64_t(std::min<std::int64_t>(threads > 0 ? threads : hw, std::max<std::int64_t>(n, 1)));
    if (t <= 1) {
        for (std::int64_t i = 0; i < n; ++i) body(i);
        return;
    }
    std::atomic<std::int64_t> next{0};
    std::exception_ptr error;
    std::mutex m;
    std::vector<std::thread> pool;
    for (std::int64_t k = 0; k < t; ++k) {
        pool.emplace_back([&] {
            try {
                for (std::int64_t i = next++; i < n; i = next++) body(i);
            } catch (...) {
                std::lock_guard lock(m);
                if (!error) error = std::current_exception();
                next = n;
            }
        });
    }
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
}

std::string option_list(const py::handle& value, const char* name) {
    if (py::isinstance<py::str>(value)) return value.cast<std::string>();
    if (py::isinstance<py::int_>(value)) return std::to_string(value.cast<long long>());
    if (py::isinstance<py::sequence>(value)) {
        std::string out;
        for (const auto& v : value.cast<py::sequence>()) {
            if (!out.empty()) out += ',';
            out += option_list(v, name);
        }
        return out;
    }
    throw Error(fmt::format("option '{}' must be a str, an int or a list of them", name));
}

}  // namespace scnn::python
