// Evidence in check reports (check/collector): every finding a report line names comes with
// its sentence, never as a bare code.

#include <gtest/gtest.h>

#include "check/collector.hpp"

namespace tfx::check {
namespace {

TEST(CheckEvidence, EveryFindingHasASentence) {
    AnnotatedSegment seg;
    seg.frame = 9;
    seg.has_tcp = true;
    seg.sender = Role::Client;
    for (int i = 0; i < kAnnotationCodeCount; ++i) {
        const auto code = static_cast<AnnotationCode>(i);
        Annotation a{code};
        a.related = 4;
        a.a = 2;
        a.b = 1;
        const std::string text = finding_text(a, seg);
        EXPECT_NE(text, code_name(code)) << "no sentence for " << code_name(code);
        EXPECT_GT(text.size(), 12u) << code_name(code) << ": " << text;
    }
}

}  // namespace
}  // namespace tfx::check
