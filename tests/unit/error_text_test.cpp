// tfx::Error said in a language: a sentence that ends with another sentence says both in the
// same language; the kinds' machine names.

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "i18n/messages.hpp"
#include "tfx/result.hpp"

namespace {

using tfx::Error;
using tfx::ErrorKind;
using tfx::Language;
using tfx::i18n::Msg;

TEST(ErrorText, ACauseIsSaidInTheSameLanguage) {
    const Error cause{ErrorKind::NotACapture, Msg::PcapngEndsInBlock, {"1024"}};
    const Error e{ErrorKind::NotACapture, Msg::ReadStoppedIn, {"'x.pcapng'"}, cause};
    EXPECT_EQ(e.message, "'x.pcapng': block at offset 1024: the file ends inside the block");
    EXPECT_EQ(e.text(Language::En), e.message);
    EXPECT_EQ(e.text(Language::Fr),
              "'x.pcapng'\u202f: bloc à l'octet 1024\u202f: le fichier s'arrête au milieu du bloc");
}

TEST(ErrorText, ACopyKeepsItsCause) {
    std::optional<Error> copy;
    {
        const Error original{ErrorKind::NotACapture,
                             Msg::ReadStoppedIn,
                             {"'a.pcap'"},
                             Error{ErrorKind::NotACapture, Msg::ReadTruncatedCapture}};
        copy = original;
    }
    EXPECT_EQ(copy->text(Language::Fr), "'a.pcap'\u202f: capture tronquée");
    EXPECT_EQ(copy->message, "'a.pcap': truncated capture");
}

TEST(ErrorText, KindsHaveStableMachineNames) {
    EXPECT_EQ(tfx::code(ErrorKind::Usage), "usage");
    EXPECT_EQ(tfx::code(ErrorKind::CannotOpen), "cannot_open");
    EXPECT_EQ(tfx::code(ErrorKind::NotACapture), "not_a_capture");
    EXPECT_EQ(tfx::code(ErrorKind::UnsupportedLink), "unsupported_link");
    EXPECT_EQ(tfx::code(ErrorKind::BadFilter), "bad_filter");
    EXPECT_EQ(tfx::code(ErrorKind::Permission), "permission");
    EXPECT_EQ(tfx::code(ErrorKind::Io), "io");
}

}  // namespace
