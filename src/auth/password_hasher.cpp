#include "auth/password_hasher.hpp"

#include <stdexcept>

#include <sodium.h>

namespace headcount::auth {

password_hasher::password_hasher() {
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
    dummy_hash_ = hash("not a password anyone has");
}

std::string password_hasher::hash(std::string_view password) const {
    std::string out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str_alg(
            out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13
        ) != 0) {
        throw std::runtime_error("argon2id hashing failed (out of memory?)");
    }
    out.resize(out.find('\0'));
    return out;
}

bool password_hasher::verify(std::string_view password, const std::string& stored_hash) const {
    return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

void password_hasher::verify_nothing(std::string_view password) const {
    (void)verify(password, dummy_hash_);
}

}  // namespace headcount::auth
