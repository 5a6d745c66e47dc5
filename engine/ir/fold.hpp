// Graph simplifications that keep the network's function exactly (up to float rounding):
// - an Affine directly after a Dense or Conv2d is folded into its weights and bias (BatchNorm folding);
// - consecutive Affines merge;
// - a ZeroPad directly before a Conv2d becomes the convolution's own padding.
#pragma once

#include "engine/ir/network.hpp"

namespace scnn::ir {

void fold_layers(Network& net);

}  // namespace scnn::ir
