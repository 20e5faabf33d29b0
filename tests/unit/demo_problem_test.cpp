// The demos' own failures are sentences of the catalogue, said in the demo's language; what
// the system wrote (strerror) stays as written. Real sockets on 127.0.0.1.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "demo/loopback_socket.hpp"
#include "demo/problem.hpp"

namespace tfx::demo {
namespace {

TEST(DemoProblem, ARefusalThatIsAcceptedSaysSomeoneListens) {
    Socket listener;
    std::uint16_t port = 0;
    ASSERT_FALSE(listen_on_loopback(listener, port));
    const Problem p = connect_expecting_refusal(port);
    ASSERT_TRUE(p);
    const std::string n = std::to_string(port);
    EXPECT_EQ(p->text(Language::En), "connect: port " + n + " accepted the connection: someone listens there");
    EXPECT_EQ(p->text(Language::Fr),
              "connect\u202f: le port " + n + " a accepté la connexion\u202f: quelqu'un y écoute");
}

TEST(DemoProblem, APeerThatClosesEarlyIsSaidAsTheClientsProblem) {
    Socket listener;
    std::uint16_t port = 0;
    ASSERT_FALSE(listen_on_loopback(listener, port));
    std::thread server([&] {
        Socket conn;
        (void)accept_one(listener, conn);
        (void)write_all(conn, "ab");
    });  // the server's socket closes after two bytes
    Socket client;
    ASSERT_FALSE(connect_to_loopback(port, client));
    std::string got;
    const Problem p = read_exactly(client, 6, got);
    server.join();
    ASSERT_TRUE(p);
    EXPECT_EQ(got, "ab");
    EXPECT_EQ(on_client(*p).text(Language::En), "client: recv: the peer closed early");
    EXPECT_EQ(on_server(*p).text(Language::Fr), "serveur\u202f: recv\u202f: l'autre côté a fermé trop tôt");
}

TEST(DemoProblem, ASystemCallKeepsTheSystemsWords) {
    const Error e = call_failed("connect", ECONNREFUSED);
    const std::string reason = std::strerror(ECONNREFUSED);
    EXPECT_EQ(e.text(Language::En), "connect: " + reason);
    EXPECT_EQ(e.text(Language::Fr), "connect\u202f: " + reason);
    EXPECT_EQ(e.kind, ErrorKind::Io);
}

}  // namespace
}  // namespace tfx::demo
