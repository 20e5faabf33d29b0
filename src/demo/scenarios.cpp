#include "demo/scenarios.hpp"

#include <sys/socket.h>

#include <array>
#include <string>
#include <thread>

namespace tfx::demo {

namespace {

// The handshake demo's payload, as `echo pouet | nc localhost PORT` sends it.
constexpr std::string_view kPouet = "pouet\n";

// One connection between a client (this thread) and the server (a thread that accepts it on
// the stage's listener). Each side's function gets its connected socket; the listener is
// closed once the exchange is over, whatever happened.
template <typename Server, typename Client>
Problem converse(Stage& stage, Server server, Client client) {
    Problem server_problem;
    std::thread server_thread([&] {
        Socket conn;
        server_problem = accept_one(stage.listener, conn);
        if (!server_problem) server_problem = server(conn);
    });
    Socket conn;
    Problem client_problem = connect_to_loopback(stage.port, conn);
    if (client_problem)
        ::shutdown(stage.listener.fd(), SHUT_RDWR);  // wakes the server's accept() at once
    else
        client_problem = client(conn);
    conn.close();
    server_thread.join();
    stage.listener.close();
    if (client_problem) return on_client(*client_problem);
    if (server_problem) return on_server(*server_problem);
    return std::nullopt;
}

Problem expect_bytes(const std::string& got, std::string_view want) {
    if (got == want) return std::nullopt;
    return Error{ErrorKind::Io, i18n::Msg::DemoBytesDiffer, {std::to_string(got.size()), std::to_string(want.size())}};
}

// Client: connect, send "pouet\n", shutdown(SHUT_WR), read to EOF, close. Server: accept,
// read to EOF, close.
Problem play_handshake(Stage& stage) {
    return converse(
        stage,
        [](Socket& conn) {
            std::string got;
            if (auto p = read_to_eof(conn, got)) return p;
            conn.close();
            return expect_bytes(got, kPouet);
        },
        [](Socket& conn) -> Problem {
            if (auto p = write_all(conn, kPouet)) return p;
            if (auto p = shutdown_write(conn)) return p;
            std::string got;
            if (auto p = read_to_eof(conn, got)) return p;
            return expect_bytes(got, "");
        });
}

Problem play_refused(Stage& stage) { return connect_expecting_refusal(stage.port); }

// The server answers only after the client's FIN: data sent from CLOSE-WAIT.
Problem play_half_close(Stage& stage) {
    static constexpr std::string_view kRequest = "question\n";
    static constexpr std::string_view kAnswer = "answer, sent after your FIN\n";
    return converse(
        stage,
        [](Socket& conn) -> Problem {
            std::string got;
            if (auto p = read_to_eof(conn, got)) return p;
            if (auto p = expect_bytes(got, kRequest)) return p;
            if (auto p = write_all(conn, kAnswer)) return p;
            conn.close();
            return std::nullopt;
        },
        [](Socket& conn) -> Problem {
            if (auto p = write_all(conn, kRequest)) return p;
            if (auto p = shutdown_write(conn)) return p;
            std::string got;
            if (auto p = read_to_eof(conn, got)) return p;
            return expect_bytes(got, kAnswer);
        });
}

// One echoed line, then the client aborts: SO_LINGER {on, 0} and close send a RST.
Problem play_rst_abort(Stage& stage) {
    return converse(
        stage,
        [](Socket& conn) -> Problem {
            std::string got;
            if (auto p = read_exactly(conn, kPouet.size(), got)) return p;
            if (auto p = write_all(conn, got)) return p;
            // The client's RST ends this read (ECONNRESET): that is the demo, not a failure.
            std::string rest;
            (void)read_to_eof(conn, rest);
            return std::nullopt;
        },
        [](Socket& conn) -> Problem {
            if (auto p = write_all(conn, kPouet)) return p;
            std::string echo;
            if (auto p = read_exactly(conn, kPouet.size(), echo)) return p;
            return abort_with_reset(conn);
        });
}

// The client's bytes fill the shaped loopback's token bucket, so the FINs behind them wait in
// its queue. Both sides shut down back to back, from this one thread (no scheduling between
// them): each side is in FIN-WAIT-1 before the other's FIN reaches it, the FINs cross, both
// go through CLOSING.
Problem play_simultaneous_close(Stage& stage) {
    static constexpr std::size_t kBucketBytes = 3000;
    Socket client;
    Socket server;
    Problem problem = connect_to_loopback(stage.port, client);
    if (!problem) problem = accept_one(stage.listener, server);
    stage.listener.close();
    if (problem) return problem;
    const std::string payload(kBucketBytes, 'x');
    if (auto p = write_all(client, payload)) return on_client(*p);
    if (auto p = shutdown_write(client)) return on_client(*p);
    if (auto p = shutdown_write(server)) return on_server(*p);
    std::string got;
    if (auto p = read_to_eof(server, got)) return on_server(*p);
    if (auto p = expect_bytes(got, payload)) return on_server(*p);
    got.clear();
    if (auto p = read_to_eof(client, got)) return on_client(*p);
    return expect_bytes(got, "");
}

constexpr std::array kScenarios{
    Scenario{"handshake", i18n::Msg::DemoAboutHandshake, true, false, play_handshake},
    Scenario{"refused", i18n::Msg::DemoAboutRefused, false, false, play_refused},
    Scenario{"half-close", i18n::Msg::DemoAboutHalfClose, true, false, play_half_close},
    Scenario{"rst-abort", i18n::Msg::DemoAboutRstAbort, true, false, play_rst_abort},
    Scenario{"simultaneous-close", i18n::Msg::DemoAboutSimultaneousClose, true, true, play_simultaneous_close},
};

}  // namespace

std::span<const Scenario> scenarios() { return kScenarios; }

const Scenario* find_scenario(std::string_view name) {
    for (const Scenario& s : kScenarios)
        if (s.name == name) return &s;
    return nullptr;
}

Problem prepare(const Scenario& scenario, Stage& stage) {
    return scenario.listens ? listen_on_loopback(stage.listener, stage.port) : free_loopback_port(stage.port);
}

}  // namespace tfx::demo
