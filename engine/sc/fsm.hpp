// State-machine activations (docs/SEMANTICS.md §5). All are Moore machines on integer state: the output
// of cycle t is a function of the state s(t) (and, for SC-ReLU, of the input bit x(t)); then
// s(t+1) = f(s(t), input(t)). State, reset value and widths are documented per class. The packed helpers
// run exactly the single-step classes, so both forms are bit-identical.
//
// Transfer functions (bipolar, stationary, independent input bits; see engine/sc/theory.hpp):
//   Stanh(K)         tanh(K/2 · atanh x)  ≈ tanh(K x / 2)            (Brown & Card 2001)
//   Btanh(S, n)      exact Markov chain;  ≈ tanh(S · Σx / (2 Σ(1 - x_i²)))  ≈ tanh(S Σx / 2n) for small x
//   ScRelu(K)        x · (1 + Stanh_K(x)) / 2  → max(x, 0) as K grows
//   HardTanh(n, S)   clamp(Σx, -1, 1); |out - Σx| ≤ S / L exactly when A never saturates
#pragma once

#include <cstdint>
#include <span>

#include "engine/sc/bitstream.hpp"

namespace scnn::sc {

// Stanh with K states (K even, 2 .. 65536). s ∈ [0, K-1], reset K/2. y(t) = [s(t) ≥ K/2];
// s(t+1) = min(s+1, K-1) if x(t) else max(s-1, 0).
class Stanh {
public:
    explicit Stanh(std::uint32_t states);
    bool output() const { return state_ >= half_; }
    void step(bool x) {
        if (x) {
            if (state_ + 1 < states_) ++state_;
        } else if (state_ > 0) {
            --state_;
        }
    }
    bool next(bool x) {
        const bool y = output();
        step(x);
        return y;
    }
    void reset() { state_ = half_; }
    std::uint32_t state() const { return state_; }

private:
    std::uint32_t states_, half_, state_;
};

// Btanh for an APC input (Kim et al., DAC 2016): S states (S even, 2 .. 2^20), n inputs (1 .. 65535).
// s ∈ [0, S-1], reset S/2. y(t) = [s(t) ≥ S/2]; s(t+1) = clamp(s(t) + 2 c(t) - n, 0, S-1), c(t) ∈ [0, n].
class Btanh {
public:
    Btanh(std::uint32_t states, std::uint32_t inputs);
    bool output() const { return state_ >= half_; }
    void step(std::uint32_t count) {
        const std::int64_t v = state_ + 2 * static_cast<std::int64_t>(count) - inputs_;
        state_ = v < 0 ? 0 : (v > max_ ? max_ : v);
    }
    bool next(std::uint32_t count) {
        const bool y = output();
        step(count);
        return y;
    }
    void reset() { state_ = half_; }
    std::int64_t state() const { return state_; }

private:
    std::int64_t inputs_, max_, half_, state_;
};

// Counter-based SC ReLU (bipolar), K states (K even, 2 .. 65536). State: the Stanh counter s (reset K/2) and a
// toggle bit z (reset 0). y(t) = x(t) if s(t) ≥ K/2, else z(t) and z toggles (z(t+1) = !z(t)), which emits
// the bipolar zero 0101...; s steps exactly as in Stanh.
class ScRelu {
public:
    explicit ScRelu(std::uint32_t states) : counter_(states) {}
    bool next(bool x) {
        bool y = x;
        if (!counter_.output()) {
            y = toggle_;
            toggle_ = !toggle_;
        }
        counter_.step(x);
        return y;
    }
    void reset() {
        counter_.reset();
        toggle_ = false;
    }

private:
    Stanh counter_;
    bool toggle_ = false;
};

// Hard tanh as a saturating accumulator over an APC input with n inputs (1 .. 65535), bound S (1 .. 2^30).
// A ∈ [-S, S-1], reset 0. y(t) = [A(t) ≥ 0]; A(t+1) = clamp(A(t) + (2 c(t) - n) - (2 y(t) - 1), -S, S-1).
class HardTanh {
public:
    HardTanh(std::uint32_t inputs, std::int64_t bound);
    bool output() const { return acc_ >= 0; }
    void step(std::uint32_t count) {
        const std::int64_t y = output() ? 1 : -1;
        const std::int64_t v = acc_ + 2 * static_cast<std::int64_t>(count) - inputs_ - y;
        acc_ = v < -bound_ ? -bound_ : (v > bound_ - 1 ? bound_ - 1 : v);
    }
    bool next(std::uint32_t count) {
        const bool y = output();
        step(count);
        return y;
    }
    void reset() { acc_ = 0; }
    std::int64_t state() const { return acc_; }

private:
    std::int64_t inputs_, bound_, acc_ = 0;
};

// Whole-stream forms from reset.
Bitstream stanh(const Bitstream& in, std::uint32_t states);
PackedStream stanh(const PackedStream& in, std::uint32_t states);
Bitstream sc_relu(const Bitstream& in, std::uint32_t states);
PackedStream sc_relu(const PackedStream& in, std::uint32_t states);
PackedStream btanh(std::span<const std::uint32_t> counts, std::uint32_t inputs, std::uint32_t states);
PackedStream hard_tanh(std::span<const std::uint32_t> counts, std::uint32_t inputs, std::int64_t bound);

}  // namespace scnn::sc
