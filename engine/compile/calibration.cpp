#include "engine/compile/calibration.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"

namespace scnn::compile {

std::string default_calibration_data(const std::string& data_spec) {
    return data_spec.rfind("fashion-mnist", 0) == 0 ? "fashion-mnist:train" : data_spec;
}

void check_compatible(const io::Dataset& data, const ir::Network& net) {
    if (data.pixels_per_image() != net.input.size()) {
        throw Error(fmt::format("dataset '{}' has {}x{} images ({} pixels) but the model input {} needs {} values",
                                data.name, data.height, data.width, data.pixels_per_image(), ir::to_string(net.input),
                                net.input.size()));
    }
}

std::vector<std::vector<float>> model_inputs(const ir::Network& net, std::span<const std::uint8_t> pixels,
                                             std::int64_t count) {
    const auto per_image = std::size_t(net.input.size());
    if (per_image == 0 || pixels.size() % per_image != 0) {
        throw Error(fmt::format("{} pixels are not a whole number of images of {} pixels (the model input {})",
                                pixels.size(), per_image, ir::to_string(net.input)));
    }
    const auto available = std::int64_t(pixels.size() / per_image);
    const std::int64_t n = count > 0 ? std::min(count, available) : available;
    std::vector<std::vector<float>> inputs;
    inputs.reserve(std::size_t(n));
    for (std::int64_t i = 0; i < n; ++i)
        inputs.push_back(ref::pixels_to_input(pixels.subspan(std::size_t(i) * per_image, per_image)));
    return inputs;
}

std::vector<std::vector<float>> calibration_inputs(const ir::Network& net, const std::string& spec, std::int64_t count,
                                                   const std::string& data_spec) {
    if (count <= 0) throw Error(fmt::format("calibration needs at least one image (got {})", count));
    const io::Dataset calib = io::load_dataset(spec.empty() ? default_calibration_data(data_spec) : spec, count);
    check_compatible(calib, net);
    return model_inputs(net, calib.pixels, count);
}

}  // namespace scnn::compile
