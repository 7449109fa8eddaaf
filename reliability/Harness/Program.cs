// The reliability harness of issue #8. reliability/run publishes the product and runs these;
// each subcommand starts the product itself, prints progress and one RESULT line, and exits
// non-zero on FAIL.
using Reliability;
using Reliability.Common;

const string Usage = """
    usage: Harness <crash|backlog|outage|badinput|soak|attacks|signin|forward|recovery> --web <published InstantChat.Web folder> [options]
      common:   --work DIR (scratch folder, default the temp folder)
      crash:    --seconds 60 --kills 3 --senders 16 --rate 400 (deliveries/s) --drain-seconds 120 --seed N
      backlog:  --max-backlog 20000 --senders 32 --kills 3 (mid-batch, after an ingest-only fill) --probes 50 --seed N
      outage:   --store sqlite|mongo|both --senders 12 --rate 250 --before 8 --outage 10 --after 10
                --mongo-senders 6 --mongo-rate 15 --drain-seconds 300 --jongodb PATH (default: .tools/jongodb found upwards)
      badinput: --slow-connections 40 --slow-headers N (header dribbles, default a quarter of the connections; 0: none)
      soak:     --seconds 600 --rate 0 (0: half the capacity measured by a probe first) --probe-seconds 15
                --senders 32 --sample-seconds 5 --max-slope-mb-per-min 1.0
      attacks:  --parts forgery,slowbody,search --forgeries 2000 --seed N --slow-connections 300 --slow-send-mib 15
                --search-events 70000 --search-seconds 15
      signin:   --samples 30 (timed sign-ins of each kind) --attack-attempts 50
      forward:  --seconds 40 --kills 3 --senders 12 --rate 300 --seed N --store sqlite|mongo (a destination on a receiver here, kill -9 while forwarding)
      recovery: --before 15 --outage 600 --after 20 --settle-seconds 240 --senders 4 --rate 40 (the receiver down, then back)
    """;

if (args.Length == 0 || args.Any(a => a is "-h" or "--help" or "help"))
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var options = Args.Parse(args[1..]);
    Log.Line($"harness {string.Join(' ', args)}");
    return args[0] switch
    {
        "crash" => await Crash.RunAsync(options),
        "backlog" => await Backlog.RunAsync(options),
        "outage" => await Outage.RunAsync(options),
        "badinput" => await BadInput.RunAsync(options),
        "soak" => await Soak.RunAsync(options),
        "attacks" => await Attacks.RunAsync(options),
        "signin" => await SignIn.RunAsync(options),
        "forward" => await Forward.RunAsync(options),
        "recovery" => await Recovery.RunAsync(options),
        _ => Fail($"unknown subcommand '{args[0]}'\n{Usage}"),
    };
}
catch (Exception ex)
{
    Console.WriteLine(ex);
    return Log.Verdict(args[0], false, $"harness error: {ex.GetType().Name}: {ex.Message}");
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
