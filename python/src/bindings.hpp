// The pieces of the _scnn extension module (module.cpp registers them).
#pragma once

#include <pybind11/pybind11.h>

namespace scnn::python {

void bind_model(pybind11::module_& m);  ///< scnn.load, scnn.Model (model.cpp)
void bind_plan(pybind11::module_& m);   ///< scnn.Plan, Model.compile (plan.cpp)

}  // namespace scnn::python
