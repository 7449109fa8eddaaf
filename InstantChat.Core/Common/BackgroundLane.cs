using System.Runtime.InteropServices;

namespace InstantChat.Core.Common;

/// <summary>
/// Threads of their own, at a lower scheduling priority (Linux nice 19), for the work that follows an
/// acknowledgement: the processor and the store's writer. When a burst saturates the CPU, the
/// acknowledgements (normal priority) keep their speed and processing catches up behind them; when the
/// CPU has room, the lane runs at full speed. Work started here stays here: its awaits continue on
/// the lane (it is their <see cref="TaskScheduler"/>). Elsewhere than Linux the threads keep the
/// normal priority.
/// </summary>
public sealed class BackgroundLane : TaskScheduler, IDisposable
{
    /// <summary>The lowest priority Linux gives a normal thread: a saturated CPU goes to the acknowledgements (bench/RESULTS.md).</summary>
    public const int Nice = 19;
    readonly Queue<Task> _tasks = new();
    readonly object _gate = new(); // Monitor, not Lock: the threads wait on it
    readonly Thread[] _threads;
    bool _stopping;

    public BackgroundLane(int threads = 2)
    {
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"background-lane-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>True when the lane's threads run at the lower priority (Linux only).</summary>
    public bool Lowered { get; private set; }

    /// <summary>Runs <paramref name="work"/> on the lane; its continuations stay there.</summary>
    public Task Run(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    public override int MaximumConcurrencyLevel => _threads.Length;

    protected override void QueueTask(Task task)
    {
        lock (_gate)
        {
            _tasks.Enqueue(task);
            Monitor.Pulse(_gate);
        }
    }

    // Inline only on the lane itself, so lane work never runs at the normal priority by accident.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        !taskWasPreviouslyQueued && Thread.CurrentThread.Name?.StartsWith("background-lane-", StringComparison.Ordinal) == true && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_gate) return [.. _tasks];
    }

    void Work()
    {
        Lower();
        while (true)
        {
            Task task;
            lock (_gate)
            {
                // Monitor.Wait sleeps without spinning: an idle lane costs nothing.
                while (_tasks.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_tasks.Count == 0) return;
                task = _tasks.Dequeue();
            }
            TryExecuteTask(task);
        }
    }

    void Lower()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // PRIO_PROCESS with a thread id sets that thread's nice value on Linux.
            // Nice, not SCHED_IDLE: the lane keeps a small share under saturation, so admin writes
            // (the same writer) and processing never stop outright.
            if (SetPriority(0, GetThreadId(), Nice) == 0) Lowered = true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: the lane keeps the normal priority.
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
    }

    // DllImport, not LibraryImport: two blittable calls, no unsafe code in the project for them.
    [DllImport("libc", EntryPoint = "setpriority")]
    static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    static extern int GetThreadId();
}
