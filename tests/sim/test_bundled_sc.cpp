// The bundled default model in SC: the compiled plan runs and stays close to float on a few test images.
#include <catch2/catch.hpp>

#include "engine/compile/compiler.hpp"
#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ref/float_exec.hpp"
#include "engine/sim/simulate.hpp"

using namespace scnn;

TEST_CASE("fmnist_mlp in SC at L=256 agrees with float on 300 test images", "[sim][bundled]") {
    const auto net = io::import_onnx(std::string(SCNN_SOURCE_DIR) + "/models/fmnist_mlp.onnx");
    const auto train = io::load_dataset("fashion-mnist:train", 100);
    std::vector<std::vector<float>> calib;
    for (std::int64_t i = 0; i < train.count; ++i) calib.push_back(ref::pixels_to_input(train.image(i)));
    compile::CompileOptions o;
    o.length = 256;
    const auto plan = compile::compile(net, calib, o);
    REQUIRE(plan.mean_abs_scc < 0.2);
    const auto test = io::load_dataset("fashion-mnist", 300);
    const sim::Simulator sim(plan);
    const auto pred = sim.predict_all(test.pixels, test.count, 2);
    int agree = 0;
    for (std::int64_t i = 0; i < test.count; ++i)
        agree += pred[std::size_t(i)] == ref::argmax(ref::run(net, ref::pixels_to_input(test.image(i))));
    REQUIRE(agree >= 280);  // measured 95 %+ agreement
    // the literal reference gives the same counts on the first image
    REQUIRE(sim.run(test.image(0)) == sim::reference_run(plan, test.image(0)));
}
