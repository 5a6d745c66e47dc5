// Theoretical transfer functions and error models of the primitives (docs/SEMANTICS.md §7): the values the
// tests check the bit-level machines against, and what a compiler uses to pick state counts. Host-only,
// floating point; nothing here runs per cycle.
#pragma once

#include <cstdint>
#include <span>

namespace scnn::sc::theory {

// Stanh(K), bipolar x ∈ [-1, 1], stationary output with independent input bits:
// π_i ∝ ρ^i (ρ = (1+x)/(1-x)), P(s ≥ K/2) = 1/(1 + ρ^(-K/2))  =>  y = tanh(K/2 · atanh x).
double stanh_stationary(double x, std::uint32_t states);
// Brown & Card's approximation tanh(K x / 2).
double stanh_approx(double x, std::uint32_t states);
// SC-ReLU(K): x · (1 + stanh_stationary(x, K)) / 2.
double sc_relu_stationary(double x, std::uint32_t states);

// Btanh(S) fed by an APC over independent bipolar inputs x_i: the exact stationary output of the clamped
// random walk (jump 2c - n, c Poisson-binomial), from the transition matrix by power iteration.
double btanh_stationary(std::span<const double> x, std::uint32_t states);
// Diffusion approximation tanh(S · Σx / (2 Σ(1 - x_i²))).
double btanh_approx(std::span<const double> x, std::uint32_t states);

// Hard tanh: clamp(Σx, -1, 1).
double hard_tanh(std::span<const double> x);

// Variance of a decoded product of independent Bernoulli streams of length L:
// unipolar AND: p(1-p)/L with p = pa·pb; bipolar XNOR: 4q(1-q)/L with q = (1 + xa·xb)/2.
double and_variance(double pa, double pb, std::uint64_t length);
double xnor_variance(double xa, double xb, std::uint64_t length);

// Output-count rounding floor: a stream of L cycles can only show multiples of 1/L, so even a perfect
// generator pair has MSE ≈ 1/(12 L²) against a continuous-valued result.
double rounding_floor(std::uint64_t length);

}  // namespace scnn::sc::theory
