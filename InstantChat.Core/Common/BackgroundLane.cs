using System.Runtime.InteropServices;

namespace InstantChat.Core.Common;

/// <summary>
/// Threads of their own, at a low scheduling priority, for the work that follows an acknowledgement:
/// the processor and the store's writer. Normally Linux nice 19: processing keeps a share of a busy
/// CPU, so events show within a second. During a burst (a backlog of <see cref="LogProgress.BurstBacklog"/>
/// or more) SCHED_IDLE, the lowest there is: the acknowledgements keep their speed and processing
/// catches up behind them. When the CPU has room, the lane runs at full speed either way. Work
/// started here stays here: its awaits continue on the lane (it is their <see cref="TaskScheduler"/>).
/// Elsewhere than Linux the threads keep the normal priority.
/// </summary>
public sealed class BackgroundLane : TaskScheduler, IDisposable
{
    /// <summary>Linux's SCHED_IDLE: a thread of it runs when nothing else wants the core, and yields at once when something does.</summary>
    const int SchedIdle = 5;
    const int SchedOther = 0;

    /// <summary>Outside a burst: the lowest nice value a normal thread can have.</summary>
    public const int Nice = 19;

    readonly LogProgress? _backlog;
    [ThreadStatic] static bool? t_idle;
    readonly Queue<Task> _tasks = new();
    readonly object _gate = new(); // Monitor, not Lock: the threads wait on it
    readonly Thread[] _threads;
    bool _stopping;

    public BackgroundLane(int threads = 2, LogProgress? backlog = null)
    {
        _backlog = backlog;
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
            Follow();
            TryExecuteTask(task);
        }
    }

    void Lower()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // PRIO_PROCESS with a thread id sets that thread's nice value on Linux.
            if (SetPriority(0, GetThreadId(), Nice) == 0) Lowered = true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: the lane keeps the normal priority.
        }
    }

    /// <summary>
    /// Before each piece of work: SCHED_IDLE while a burst's backlog waits, nice 19 otherwise (bench/RESULTS.md,
    /// "The acknowledgement, second pass": at nice 19 the lane took a quarter of a saturated CPU; at
    /// SCHED_IDLE, outside a burst, the dashboard's events could wait seconds behind a busy browser).
    /// One system call when the mode changes, none otherwise.
    /// </summary>
    void Follow()
    {
        if (!Lowered) return;
        var idle = _backlog?.Pending >= LogProgress.BurstBacklog;
        if (t_idle == idle) return;
        var none = 0;
        if (SetScheduler(GetThreadId(), idle ? SchedIdle : SchedOther, ref none) == 0) t_idle = idle;
        else t_idle = false; // refused: nice 19 it stays
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
    }

    // DllImport, not LibraryImport: three blittable calls, no unsafe code in the project for them.
    [DllImport("libc", EntryPoint = "sched_setscheduler")]
    static extern int SetScheduler(int pid, int policy, ref int parameter);

    [DllImport("libc", EntryPoint = "setpriority")]
    static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    static extern int GetThreadId();
}
