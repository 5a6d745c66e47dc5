// `scnn area` and `scnn compare --hw`: bad input is one line on stderr and exit status 2, before any synthesis.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/support/run_command.hpp"

using scnn::test::run_scnn;

namespace {

void check_one_line_error(const scnn::test::CommandResult& r, const std::string& needle) {
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.err.rfind("scnn: error: ", 0) == 0);
    CHECK(r.err.find(needle) != std::string::npos);
    CHECK(r.err.find('\n') == r.err.size() - 1);
    CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("scnn area rejects bad input in one line", "[hw][cli]") {
    scnn::test::TempDir t;
    check_one_line_error(run_scnn("area --liberty " + t.file("missing.lib")), "not found");
    std::ofstream(t.file("text.lib")) << "cell (X) { area : 1; }\n";
    check_one_line_error(run_scnn("area --liberty " + t.file("text.lib")), "not a liberty library");
    check_one_line_error(run_scnn("area --macs 0"), "--macs");
    check_one_line_error(run_scnn("area --macs 257"), "--macs");
    check_one_line_error(run_scnn("area --fold 0"), "--fold");
    check_one_line_error(run_scnn("area --only both3"), "--only");
    check_one_line_error(run_scnn("area --plan " + t.file("missing.json")), "missing.json");
    check_one_line_error(run_scnn("compare --hw --hw-fold 0"), "--hw-fold");
}
