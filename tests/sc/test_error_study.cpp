// The error-study library and the `scnn error-study` command.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include <sys/wait.h>

#include "engine/ir/error.hpp"
#include "engine/sc/error_study.hpp"
#include "engine/sc/theory.hpp"

using namespace scnn::sc;

namespace {
ErrorStudyConfig study(SngKind kind, StudyOp op, Encoding enc, std::uint64_t length, std::uint64_t pairs) {
    ErrorStudyConfig c;
    c.op = op;
    c.encoding = enc;
    c.length = length;
    c.pairs = pairs;
    const unsigned w = default_width(length);
    c.sng_a = study_generator(kind, w, 0, c.seed);
    c.sng_b = study_generator(kind, w, 1, c.seed);
    c.sng_select = study_generator(kind, w, 2, c.seed);
    return c;
}

// Runs a shell command and returns its stdout and exit status.
std::pair<std::string, int> run(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return {out, -1};
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int status = pclose(p);
    return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}
}  // namespace

TEST_CASE("error study: defaults, theory and the shared-generator case", "[sc][error-study]") {
    CHECK(default_width(1) == 3);
    CHECK(default_width(64) == 6);
    CHECK(default_width(256) == 8);
    CHECK(default_width(1000) == 10);
    CHECK(study_generator(SngKind::sobol, 8, 1, 1).dimension == 2);
    CHECK(study_generator(SngKind::halton, 8, 2, 1).dimension == 3);
    CHECK(study_generator(SngKind::lfsr_galois, 8, 1, 1).offset == 85);

    const ErrorStudyResult sob = run_error_study(study(SngKind::sobol, StudyOp::mul, Encoding::unipolar, 256, 20000));
    CHECK(sob.mse <= 6e-6);
    CHECK(sob.pairs == 20000);
    CHECK(sob.length == 256);
    const ErrorStudyResult rnd = run_error_study(study(SngKind::random, StudyOp::mul, Encoding::unipolar, 256, 20000));
    CHECK(rnd.mse == Approx(5.0 / 36.0 / 256).epsilon(0.1));  // binomial variance E[ab(1-ab)]/L
    CHECK(std::fabs(rnd.bias) < 5e-4);

    ErrorStudyConfig shared = study(SngKind::sobol, StudyOp::mul, Encoding::unipolar, 256, 5000);
    shared.share = true;
    const ErrorStudyResult sh = run_error_study(shared);
    CHECK(sh.mean_abs_scc == 1.0);  // pairs with a constant stream are left out
    CHECK(sh.mse > 0.01);           // AND of correlated streams is min(a, b), not a*b

    const ErrorStudyResult mux = run_error_study(study(SngKind::sobol, StudyOp::mux_add, Encoding::bipolar, 256, 5000));
    CHECK(mux.mse < 1e-4);
    const ErrorStudyResult st = run_error_study(study(SngKind::random, StudyOp::stanh, Encoding::bipolar, 1024, 500));
    CHECK(std::isnan(st.mean_abs_scc));
    CHECK(st.mse < 0.02);

    CHECK_THROWS_AS(run_error_study(study(SngKind::sobol, StudyOp::stanh, Encoding::unipolar, 256, 10)), scnn::Error);
    CHECK_THROWS_AS(run_error_study(study(SngKind::sobol, StudyOp::mul, Encoding::unipolar, 0, 10)), scnn::Error);
    CHECK_THROWS_AS(parse_study_op("div"), scnn::Error);
}

TEST_CASE("scnn error-study command: text, JSON, and one-line errors", "[sc][error-study][cli]") {
    const std::string bin = SCNN_BINARY;
    if (!std::filesystem::exists(bin)) {
        WARN("scnn binary not built; skipping the command-line checks");
        return;
    }
    auto [json, rc] = run(bin + " error-study --op mul --sng sobol --length 256 --pairs 2000 --json");
    CHECK(rc == 0);
    for (const char* key : {"\"mse\"", "\"bias\"", "\"mean_abs_scc\"", "\"length\": 256", "\"pairs\": 2000"})
        CHECK(json.find(key) != std::string::npos);
    auto [text, rc2] = run(bin + " error-study --op mux-add --sng lfsr --sng-b halton --length 64 --pairs 100");
    CHECK(rc2 == 0);
    CHECK(text.find("mse") != std::string::npos);
    for (const char* bad : {"--op div", "--sng foo", "--length 0", "--length x", "--pairs -3", "--encoding ternary",
                            "--op stanh --encoding unipolar", "--states 7 --op stanh", "--width 40"}) {
        auto [err, code] = run(bin + " error-study " + bad + " 2>&1");
        INFO(bad << " -> " << err);
        CHECK(code != 0);
        CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    }
}
