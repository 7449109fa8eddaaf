namespace InstantChat.Tests.Ingest;

/// <summary>
/// Raw JSON bodies (duplicate keys need raw text) that mix one app's own accounts with foreign ones
/// in every way two JSON readers could disagree about: repeated and escaped names, entries of every
/// JSON type, string vs number ids, whitespace and order, messaging and changes.
/// </summary>
static class ForgeryBodies
{
    public static string Generate(Random r, int n, string[] own, string[] foreign)
    {
        string Pick(string[] from) => from[r.Next(from.Length)];
        var ws = r.Next(4) == 0 ? "\n  " : r.Next(3) == 0 ? " " : "";
        string Obj(IEnumerable<(string Key, string Value)> props) =>
            "{" + ws + string.Join("," + ws, props.Select(p => $"{Quote(p.Key)}{ws}:{ws}{p.Value}")) + ws + "}";
        string Arr(IEnumerable<string> items) => "[" + ws + string.Join("," + ws, items) + ws + "]";

        string Update(string account, string mid) => r.Next(3) switch
        {
            0 => Obj([("field", "\"comments\""), ("value", Obj([("id", $"\"c{mid}\""), ("text", "\"hello\""), ("from", Obj([("id", "\"42\""), ("username", "\"eve\"")]))]))]),
            _ => Obj([("sender", Obj([("id", "\"9001\"")])), ("recipient", Obj([("id", $"\"{account}\"")])), ("timestamp", "1764000000000"),
                      ("message", Obj([("mid", $"\"m{mid}\""), ("text", "\"hi\"")]))]),
        };

        string IdValue(string account, bool honest = false) => (honest ? 1 + r.Next(5) : r.Next(6)) switch
        {
            0 => account,                                                        // a number
            1 => "\"" + string.Concat(account.Select(c => $"\\u{(int)c:x4}")) + "\"",  // every digit escaped
            _ => $"\"{account}\"",
        };

        string Entry(string account, int k, bool honest = false)
        {
            var mid = $"{n}_{k}_{r.Next(1_000_000)}";
            var props = new List<(string, string)>();
            var idKey = r.Next(5) == 0 ? "\\u0069d" : "id";
            switch (honest ? 9 : r.Next(10))
            {
                case 0: props.Add((idKey, IdValue(Pick(own)))); props.Add(("id", IdValue(Pick(foreign)))); break;  // own first, foreign last
                case 1: props.Add((idKey, IdValue(Pick(foreign)))); props.Add(("id", IdValue(Pick(own)))); break;  // foreign first, own last
                case 2: break;                                                                                   // no id at all
                default: props.Add((idKey, IdValue(account, honest))); break;
            }
            props.Add(("time", "1764000000"));
            var array = r.Next(3) switch { 0 => "changes", 1 => "messaging", _ => r.Next(2) == 0 ? "m\\u0065ssaging" : "messaging" };
            var isChanges = array == "changes";
            var updates = Enumerable.Range(0, 1 + r.Next(2)).Select(i => isChanges
                ? Obj([("field", "\"comments\""), ("value", Obj([("id", $"\"c{mid}{i}\""), ("text", "\"x\"")]))])
                : Update(account, mid + i));
            props.Add((array, Arr(updates)));
            if (!honest && r.Next(8) == 0) props.Add(("messaging", Arr([Update(Pick(foreign), mid + "dup")])));  // a second array of the same name
            if (!honest && r.Next(10) == 0) props.Add(("entry", Arr([Entry(Pick(foreign), k + 100)])));           // an entry inside an entry
            return Obj(props.OrderBy(_ => r.Next(3) == 0 ? r.Next() : 0));
        }

        string EntryItem(int k) => r.Next(12) switch
        {
            0 => "7", 1 => "\"x\"", 2 => "null", 3 => "true", 4 => Arr([Entry(Pick(foreign), k)]),
            5 or 6 or 7 => Entry(Pick(foreign), k),
            _ => Entry(Pick(own), k),
        };

        string EntryList(bool ownOnly) => Arr(Enumerable.Range(0, 1 + r.Next(3)).Select(k => ownOnly ? Entry(Pick(own), k, honest: true) : EntryItem(k)));

        var entryKey = r.Next(4) switch { 0 => "\\u0065ntry", 1 => "entr\\u0079", _ => "entry" };
        // About a third are honest bodies (own accounts only), so the test sees both answers.
        var honest = r.Next(3) == 0;
        var root = new List<(string, string)> { ("object", "\"instagram\""), (entryKey, EntryList(honest)) };
        if (!honest && r.Next(3) == 0) root.Add(("entry", EntryList(ownOnly: r.Next(2) == 0)));
        if (!honest && r.Next(6) == 0) root.Add(("object", "\"page\""));
        if (r.Next(2) == 0) root.Reverse();
        return Obj(root);
    }

    static string Quote(string key) => "\"" + key + "\"";
}
