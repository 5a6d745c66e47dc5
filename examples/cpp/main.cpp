// Loads a bundled model, compiles it into an SC plan with the `scnn` command's defaults, runs the
// bit-accurate simulator on Fashion-MNIST test images and prints a few per-class counts and the accuracy.
// Usage: scnn_example [MODEL] [LENGTH] [IMAGES]   (defaults: fmnist_mlp 256 10000)
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "engine/compile/calibration.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ir/error.hpp"
#include "engine/sim/simulate.hpp"

int main(int argc, char** argv) {
    const std::string name = argc > 1 ? argv[1] : "fmnist_mlp";
    const std::string path =
        name.find('/') == std::string::npos ? std::string(SCNN_MODELS_DIR) + "/" + name + ".onnx" : name;
    try {
        const scnn::ir::Network net = scnn::io::import_onnx(path);

        scnn::compile::CompileOptions options;  // the defaults of `scnn compile`
        options.length = argc > 2 ? std::atoll(argv[2]) : 256;
        const auto calibration =  // 200 images of the training split, as `scnn compile` takes them
            scnn::compile::calibration_inputs(net, "", scnn::compile::kDefaultScCalibImages);
        const scnn::ir::ScPlan plan = scnn::compile::compile(net, calibration, options, path);

        const scnn::io::Dataset test = scnn::io::load_dataset("fashion-mnist", argc > 3 ? std::atoll(argv[3]) : 10000);
        const scnn::sim::Simulator sim(plan);
        for (std::int64_t i = 0; i < 3; ++i) {
            std::printf("image %lld (label %d) counts:", static_cast<long long>(i), test.labels[std::size_t(i)]);
            for (const std::int64_t c : sim.run(test.image(i))) std::printf(" %lld", static_cast<long long>(c));
            std::printf("\n");
        }
        const std::vector<int> predicted = sim.predict_all(test.pixels, test.count, /*threads=*/0);
        std::int64_t correct = 0;
        for (std::int64_t i = 0; i < test.count; ++i)
            correct += predicted[std::size_t(i)] == test.labels[std::size_t(i)];
        std::printf("%s SC L=%lld: accuracy %.2f %% (%lld / %lld)\n", name.c_str(), static_cast<long long>(plan.length),
                    100.0 * double(correct) / double(test.count), static_cast<long long>(correct),
                    static_cast<long long>(test.count));
    } catch (const scnn::Error& e) {
        std::fprintf(stderr, "scnn_example: error: %s\n", e.what());
        return 2;
    }
    return 0;
}
