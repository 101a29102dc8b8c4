#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

#include "store/database.hpp"

namespace headcount::store {

/// A storage job waiting for a storage thread.
struct task {
    database::job work;
    database::completion done;
    bool write = false;
};

/// The jobs handed to a storage engine's threads. Thread-safe.
class job_queue {
public:
    /// False when stopped.
    bool push(task t);
    /// Blocks for at least one task (at most `max`); empty when stopped and drained.
    std::vector<task> pop_all(std::size_t max);
    void stop();

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<task> tasks_;
    bool stopped_ = false;
};

}  // namespace headcount::store
