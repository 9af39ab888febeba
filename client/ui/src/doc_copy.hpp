#pragma once
// A copy of an IMR for a worker thread (export, names scan), wiped when the job is done.
#include "imrdesk/client/chronology_source.hpp"
#include "imrdesk/client/workspace.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::ui {

struct DocCopy {
    client::ImrDocument doc;
    explicit DocCopy(const client::ImrDocument& d) : doc(d) {}
    DocCopy(const DocCopy&) = delete;
    DocCopy& operator=(const DocCopy&) = delete;
    ~DocCopy() {
        for (auto& e : doc.entries) client::wipe(e.value);
        for (auto& s : doc.sections) {
            crypto::wipe(s.value.text);
            crypto::wipe(s.value.not_applicable_reason);
        }
        for (auto& r : doc.recommendations)
            for (auto* t : {&r.value.text, &r.value.owner_role, &r.value.resources, &r.value.measure}) crypto::wipe(*t);
        for (auto& g : doc.glossary) crypto::wipe(g.value.expansion);
        for (auto& n : doc.names) {
            crypto::wipe(n.value.real_name);
            crypto::wipe(n.value.pseudonym);
        }
        for (auto& a : doc.header.adults) crypto::wipe(a.name);
        for (auto* t : {&doc.header.author_name, &doc.header.author_contact, &doc.header.records_examined,
                        &doc.header.staff_interviewed, &doc.header.author_independence})
            crypto::wipe(*t);
    }
};

}  // namespace imrdesk::ui
