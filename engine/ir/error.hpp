// scnn::Error — the one exception type for bad input. Its message is a single line meant for the user;
// the CLI prints "scnn: <message>" on stderr and exits with status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace scnn {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace scnn
