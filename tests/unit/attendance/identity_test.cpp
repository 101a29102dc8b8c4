#include <gtest/gtest.h>

#include "attendance/zoom_participant.hpp"

namespace headcount::attendance {
namespace {

TEST(identity, first_present_of_account_registrant_email_customer_uuid_name) {
    zoom_person p{"acct", "reg", "Ann@X.org", "42", "uuid-1", "  Ann  Ábel "};
    EXPECT_EQ(identify(p)->key, "id:acct");
    p.account_id.reset();
    EXPECT_EQ(identify(p)->key, "registrant:reg");
    p.registrant_id.reset();
    const auto by_email = identify(p);
    EXPECT_EQ(by_email->key, "email:ann@x.org");
    EXPECT_EQ(by_email->participant_id, "ann@x.org");
    EXPECT_EQ(by_email->email, "Ann@X.org");
    p.email.reset();
    EXPECT_EQ(identify(p)->key, "customer:42");
    p.customer_key.reset();
    EXPECT_EQ(identify(p)->key, "uuid:uuid-1");
    p.participant_uuid.reset();
    const auto by_name = identify(p);
    EXPECT_EQ(by_name->key, "name:ann abel");
    EXPECT_EQ(by_name->name_key, "ann abel");
    EXPECT_EQ(by_name->zoom_user_id, std::nullopt);
    p.user_name = "   ";
    EXPECT_FALSE(identify(p).has_value());
}

TEST(identity, zoom_user_id_is_the_account) {
    const zoom_person p{"acct-7", {}, {}, {}, {}, "Bo"};
    EXPECT_EQ(identify(p)->zoom_user_id, "acct-7");
}

}  // namespace
}  // namespace headcount::attendance
