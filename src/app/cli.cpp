#include "app/cli.hpp"

#include <array>
#include <cstdlib>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <span>

#include <CLI/CLI.hpp>

#include "app/application.hpp"
#include "app/open_database.hpp"
#include "auth/account_rules.hpp"
#include "auth/jwt.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_issuer.hpp"
#include "auth/user_json.hpp"
#include "common/json.hpp"
#include "common/logging.hpp"
#include "config/setting_table.hpp"

namespace headcount::app {
namespace {

/// Events raised by a CLI command have no sockets to go to.
class discard_events final : public event_sink {
public:
    void publish(domain_event) override {}
};

/// Collects the raw values of every setting given as a flag on one command.
struct setting_values {
    std::map<std::string, std::string, std::less<>> flags;

    void add_to(CLI::App& cmd) {
        for (const auto& s : config::all_settings()) {
            std::string help(s.help);
            help += " [env " + std::string(s.env) + "]";
            if (!s.default_text.empty())
                help += " (default " + std::string(s.default_text) + ")";
            cmd.add_option(std::string(s.flag), flags[std::string(s.env)], help)
                ->option_text("VALUE");
        }
    }

    /// Flag, else environment, else nothing.
    config::setting_lookup lookup() const {
        return [this](std::string_view env) -> std::optional<std::string> {
            if (auto it = flags.find(env); it != flags.end() && !it->second.empty())
                return it->second;
            if (const char* value = std::getenv(std::string(env).c_str());
                value != nullptr && *value != '\0') {
                return std::string(value);
            }
            return std::nullopt;
        };
    }
};

std::string settings_table_text() {
    std::string out = "Settings (a flag beats its environment variable):\n";
    for (const auto& s : config::all_settings()) {
        std::string line = "  " + std::string(s.flag);
        line.resize(std::max<std::size_t>(line.size() + 1, 34), ' ');
        line += std::string(s.env);
        line.resize(std::max<std::size_t>(line.size() + 1, 62), ' ');
        line += std::string(s.help);
        if (!s.default_text.empty())
            line += " (default " + std::string(s.default_text) + ")";
        out += line + "\n";
    }
    return out;
}

/// Runs one storage job to completion on the calling thread.
template <class Work>
auto run_job(store::database& db, bool write, Work work) {
    using result_type = std::invoke_result_t<Work&, store::unit&>;
    std::promise<result_type> done;
    auto future = done.get_future();
    auto result = std::make_shared<std::optional<result_type>>();
    store::database::job job = [&work, result](store::unit& u) {
        result->emplace(work(u));
        if constexpr (is_outcome_v<result_type>) {
            if (result->value().has_error())
                u.discard();
        }
    };
    store::database::completion completion = [&done, result](std::exception_ptr failure) {
        if (failure) {
            done.set_exception(failure);
        } else {
            done.set_value(std::move(**result));
        }
    };
    if (write) {
        db.write(std::move(job), std::move(completion));
    } else {
        db.read(std::move(job), std::move(completion));
    }
    return future.get();
}

struct opened_storage {
    system_clock clock;
    discard_events events;
    std::vector<int> applied;
    std::unique_ptr<store::database> db;
};

std::unique_ptr<opened_storage> open_storage(const config::settings& s) {
    auto storage = std::make_unique<opened_storage>();
    config::storage_settings one_connection = s.storage;
    one_connection.pool_size = 1;
    storage->db = open_database(one_connection, storage->clock, storage->events, storage->applied);
    return storage;
}

int fail(const std::string& message, int status) {
    std::cerr << "headcount: " << message << "\n";
    return status;
}

std::optional<config::settings> load_settings(const setting_values& values, int& status) {
    auto loaded = config::load(values.lookup());
    if (!loaded.value) {
        status = fail(loaded.error, 2);
        return std::nullopt;
    }
    if (auto level = log::parse_level(loaded.value->log_level))
        log::set_level(*level);
    return loaded.value;
}

int migrate_command(const config::settings& s) {
    auto storage = open_storage(s);
    storage->db->stop();
    if (storage->applied.empty()) {
        std::cout << "nothing to migrate\n";
    } else {
        std::cout << "applied migrations";
        for (const int v : storage->applied)
            std::cout << " " << v;
        std::cout << "\n";
    }
    return 0;
}

int user_add_command(
    const config::settings& s,
    const std::string& username,
    const std::string& email,
    const std::string& role_name,
    bool password_stdin
) {
    if (auto why = auth::check_username(username))
        return fail("--username " + *why, 2);
    if (auto why = auth::check_email(email))
        return fail("--email " + *why, 2);
    const auto role = auth::parse_role(role_name);
    if (!role)
        return fail("--role must be admin or user", 2);
    if (!password_stdin)
        return fail("--password-stdin is required (the password is read from standard input)", 2);
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r')
        password.pop_back();
    if (auto why = auth::check_password(password))
        return fail("the password " + *why, 2);

    const auth::password_hasher hasher;
    const auth::new_user fresh{username, email, *role, hasher.hash(password)};
    auto storage = open_storage(s);
    auto created = run_job(*storage->db, true, [&](store::unit& u) {
        return u.sessions().users.insert(fresh);
    });
    storage->db->stop();
    if (!created)
        return fail(created.error().message, 1);
    std::cout << json::to_string(boost::json::value_from(*created)) << "\n";
    return 0;
}

int token_command(const config::settings& s, const std::string& username) {
    if (username.empty())
        return fail("--username is required", 2);
    if (s.auth.jwt_secret.empty())
        return fail("JWT_SECRET must be set to sign tokens", 2);
    auto storage = open_storage(s);
    auto user = run_job(*storage->db, false, [&](store::unit& u) {
        return u.sessions().users.find_by_username(username);
    });
    storage->db->stop();
    if (!user)
        return fail("no user named " + username, 1);
    const auth::jwt_codec codec(s.auth.jwt_secret);
    const auth::token_issuer issuer(codec, s.auth.jwt_lifetime);
    std::cout << issuer.issue(*user, system_clock{}.now()) << "\n";
    return 0;
}

/// A subcommand with the settings its flags give and what it runs once they are loaded.
struct command {
    CLI::App* app = nullptr;
    setting_values values;
    std::function<int(config::settings)> run;
};

/// `user add`: its options live as long as the command.
struct user_add_options {
    std::string username;
    std::string email;
    std::string role = "user";
    bool password_stdin = false;
};

void add_user_add(CLI::App& app, command& cmd, user_add_options& o) {
    auto* user = app.add_subcommand("user", "Manage users from the shell");
    user->require_subcommand(1);
    cmd.app =
        user->add_subcommand("add", "Create a user (works while a server runs on the database)");
    cmd.app->add_option("--username", o.username, "3-32 characters of [A-Za-z0-9._-]")->required();
    cmd.app->add_option("--email", o.email, "the user's email address")->required();
    cmd.app->add_option("--role", o.role, "admin or user (default user)");
    cmd.app->add_flag(
        "--password-stdin", o.password_stdin, "read the password from standard input"
    );
    cmd.run = [&o](const config::settings& s) {
        return user_add_command(s, o.username, o.email, o.role, o.password_stdin);
    };
}

void add_token(CLI::App& app, command& cmd, std::string& username) {
    cmd.app = app.add_subcommand("token", "Print a signed JWT for a user (for scripts and tests)");
    cmd.app->add_option("--username", username, "whose token")->required();
    cmd.run = [&username](const config::settings& s) { return token_command(s, username); };
}

/// Runs the subcommand the command line chose, with its settings loaded.
int run_chosen(std::span<command> commands) {
    int status = 0;
    for (auto& cmd : commands) {
        if (!*cmd.app)
            continue;
        auto s = load_settings(cmd.values, status);
        return s ? cmd.run(std::move(*s)) : status;
    }
    return 2;
}

}  // namespace

int run_cli(int argc, char** argv, const extra_routes& extra) {
    CLI::App app{"headcount: who attended a Zoom meeting, live and afterwards", "headcount"};
    app.require_subcommand(1);
    app.footer(settings_table_text());

    std::array<command, 4> commands;
    commands[0].app =
        app.add_subcommand("serve", "Run the HTTP API, the Socket.IO server and the dashboard");
    commands[0].run = [&extra](config::settings s) { return app::serve(std::move(s), extra); };
    commands[1].app = app.add_subcommand("migrate", "Apply pending schema migrations and exit");
    commands[1].run = [](const config::settings& s) { return migrate_command(s); };
    user_add_options user_add;
    add_user_add(app, commands[2], user_add);
    std::string token_username;
    add_token(app, commands[3], token_username);
    for (auto& cmd : commands)
        cmd.values.add_to(*cmd.app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        return run_chosen(commands);
    } catch (const std::exception& e) {
        return fail(e.what(), 1);
    }
}

}  // namespace headcount::app
