#include "store/job_queue.hpp"

namespace headcount::store {

bool job_queue::push(task t) {
    {
        const std::scoped_lock lock(mutex_);
        if (stopped_)
            return false;
        tasks_.push_back(std::move(t));
    }
    ready_.notify_one();
    return true;
}

std::vector<task> job_queue::pop_all(std::size_t max) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return stopped_ || !tasks_.empty(); });
    std::vector<task> out;
    while (!tasks_.empty() && out.size() < max) {
        out.push_back(std::move(tasks_.front()));
        tasks_.pop_front();
    }
    return out;
}

void job_queue::stop() {
    {
        const std::scoped_lock lock(mutex_);
        stopped_ = true;
    }
    ready_.notify_all();
}

}  // namespace headcount::store
