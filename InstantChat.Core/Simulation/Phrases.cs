namespace InstantChat.Core.Simulation;

/// <summary>What one language's speakers write: to a business, its answers, comments under posts, and cheers in a live.</summary>
sealed record Language(
    string Code,
    IReadOnlyList<string> Asks,
    IReadOnlyList<string> Replies,
    IReadOnlyList<string> Comments,
    IReadOnlyList<string> Cheers);

/// <summary>
/// Demo text in several scripts with emoji, so the dashboard, search and storage show real-world
/// Unicode (right-to-left, CJK, Devanagari, astral-plane emoji), not just ASCII.
/// </summary>
static class Phrases
{
    public static readonly Language English = new("en",
        ["Hi! Do you ship to Toronto? 🇨🇦", "Is the blue one still in stock?", "What time do you open on Sunday?",
         "My order hasn't arrived yet 😕 #40213", "Can I change the size to M?"],
        ["Hi! Yes, we ship worldwide 🌍 3–5 business days.", "It is! Want me to reserve one for you?",
         "We open at 10:00 on Sundays ☀️", "So sorry! Let me check your order right now 🙏"],
        ["Love this 😍", "How much? 💸", "Need this in green!", "Ordered mine yesterday, can't wait 🙌"],
        ["Hello from London! 👋", "🔥🔥🔥", "Can you show the back?"]);

    public static readonly Language Portuguese = new("pt",
        ["Olá! Fazem envios para o Porto?", "Ainda têm o casaco azul em tamanho M?", "Qual é o horário de domingo? ☕",
         "A minha encomenda ainda não chegou 😢"],
        ["Olá! Sim, enviamos para todo o país em 2–3 dias 📦", "Temos sim! Quer que reserve um?",
         "Abrimos às 10h ao domingo ☀️", "Lamentamos! Vamos verificar já 🙏"],
        ["Que lindo! 😍", "Qual é o preço?", "Adorei a cor 💚"],
        ["Olá de Lisboa! 👋", "Maravilhoso 🔥", "Mostra o verso, por favor!"]);

    public static readonly Language Spanish = new("es",
        ["¡Hola! ¿Hacen envíos a Madrid?", "¿Tienen la taza en color negro?", "¿A qué hora abren mañana?",
         "¿Puedo pagar con Bizum? 🙏"],
        ["¡Hola! Sí, enviamos a toda España 🚚", "¡Sí! Te la guardo si quieres 😊", "Abrimos a las 9:00 ☕",
         "Por ahora solo tarjeta y PayPal 💳"],
        ["¡Qué bonito! 😍", "¿Precio? 💸", "Lo quiero 🙌"],
        ["¡Saludos desde México! 🇲🇽", "🔥🔥", "¿Cuánto cuesta el grande?"]);

    public static readonly Language Japanese = new("ja",
        ["こんにちは！海外発送はできますか？", "この湯呑みはまだ在庫ありますか？🍵", "営業時間を教えてください",
         "注文した商品がまだ届いていません😢"],
        ["こんにちは！はい、海外発送も承っております📦", "はい、在庫ございます！", "10時から18時まで営業しています🕙",
         "大変申し訳ございません。すぐに確認いたします🙏"],
        ["素敵です✨", "色違いはありますか？", "欲しい！😍"],
        ["こんばんは〜👋", "かわいい💕", "🔥🔥🔥"]);

    public static readonly Language Arabic = new("ar",
        ["مرحبا! هل يوجد شحن إلى دبي؟", "هل المقاس الكبير متوفر؟", "كم سعر هذا الكوب؟ ☕", "طلبي لم يصل بعد 😟"],
        ["مرحبا! نعم، نشحن إلى الإمارات خلال ٥ أيام 📦", "نعم متوفر 👍", "السعر ٢٥ يورو", "نعتذر! سنتحقق من طلبك فوراً 🙏"],
        ["رائع جداً 😍", "كم السعر؟", "ما شاء الله ✨"],
        ["تحياتي من القاهرة 👋", "جميل 🔥", "❤️❤️"]);

    public static readonly Language Russian = new("ru",
        ["Здравствуйте! Есть доставка в Берлин?", "Синий свитер ещё есть в наличии?", "Сколько стоит доставка? 📦",
         "Можно оплатить картой?"],
        ["Здравствуйте! Да, доставляем по всей Европе 🚚", "Да, есть! Отложить для вас?", "Доставка бесплатная от 50 € 🎉",
         "Да, конечно 💳"],
        ["Очень красиво 😍", "А цена?", "Хочу такой же!"],
        ["Привет из Риги! 👋", "Класс 🔥", "Покажите поближе, пожалуйста"]);

    public static readonly Language Hindi = new("hi",
        ["नमस्ते! क्या आप मुंबई में डिलीवरी करते हैं?", "क्या यह कप नीले रंग में मिलेगा?", "मेरा ऑर्डर अभी तक नहीं आया 😟"],
        ["नमस्ते! जी हाँ, हम पूरे भारत में डिलीवरी करते हैं 📦", "जी हाँ, उपलब्ध है 😊", "माफ़ कीजिए! हम अभी जाँच करते हैं 🙏"],
        ["बहुत सुंदर 😍", "कीमत क्या है?", "वाह! ✨"],
        ["दिल्ली से नमस्ते 👋", "शानदार 🔥", "❤️"]);

    public static readonly Language Korean = new("ko",
        ["안녕하세요! 서울로 배송 되나요?", "이 컵 아직 재고 있나요? ☕", "주문한 상품이 아직 안 왔어요 😢"],
        ["안녕하세요! 네, 해외 배송 가능합니다 📦", "네, 재고 있어요!", "죄송합니다! 바로 확인해 드릴게요 🙏"],
        ["너무 예뻐요 😍", "가격이 어떻게 되나요?", "갖고 싶어요 ✨"],
        ["부산에서 인사드려요 👋", "대박 🔥", "💜💜"]);
}
