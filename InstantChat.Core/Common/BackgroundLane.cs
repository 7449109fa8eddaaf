using System.Runtime.InteropServices;

namespace InstantChat.Core.Common;

/// <summary>
/// Threads of their own, at the lowest scheduling priority Linux has (SCHED_IDLE), for the work that
/// follows an acknowledgement: the processor and the store's writer. When a burst saturates the CPU,
/// the acknowledgements keep their speed and processing catches up behind them; when the CPU has
/// room, the lane runs at full speed. Work started here stays here: its awaits continue on the lane
/// (it is their <see cref="TaskScheduler"/>). Elsewhere than Linux the threads keep the normal priority.
/// </summary>
public sealed class BackgroundLane : TaskScheduler, IDisposable
{
    /// <summary>Linux's SCHED_IDLE: a thread of it runs when nothing else wants the core, and yields at once when something does.</summary>
    const int SchedIdle = 5;

    /// <summary>Where SCHED_IDLE is refused: the lowest nice value a normal thread can have.</summary>
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
            // SCHED_IDLE, not nice 19 (bench/RESULTS.md, "The lane's priority"): at nice 19 the lane
            // still took a quarter of a saturated CPU, a core's every short idle gap, and the
            // acknowledgements' share fell by as much. SCHED_IDLE keeps a small weight, so admin writes
            // (the same writer) and processing still move under saturation, only slowly.
            var none = 0;
            var tid = GetThreadId();
            if (SetScheduler(tid, SchedIdle, ref none) == 0 || SetPriority(0, tid, Nice) == 0) Lowered = true;
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

    // DllImport, not LibraryImport: three blittable calls, no unsafe code in the project for them.
    [DllImport("libc", EntryPoint = "sched_setscheduler")]
    static extern int SetScheduler(int pid, int policy, ref int parameter);

    [DllImport("libc", EntryPoint = "setpriority")]
    static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    static extern int GetThreadId();
}
