// scnn.Model: an imported network, its float and int8 executions. Shared by model.cpp and plan.cpp.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "engine/int8/quantize.hpp"
#include "engine/ir/network.hpp"

namespace scnn::python {

struct Model {
    std::shared_ptr<const ir::Network> net;
    std::string name;  ///< the path it was loaded from, or "<bytes>"; recorded in compiled plans
    /// The int8 network predict(mode="int8") runs: the CLI's default calibration until quantize() is called.
    std::shared_ptr<const int8::QuantizedNetwork> qnet;
    std::shared_ptr<std::mutex> qnet_mutex = std::make_shared<std::mutex>();
};

}  // namespace scnn::python
