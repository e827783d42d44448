// The GOV.UK timeout warning: a modal dialog SESSION_TIMEOUT_WARNING seconds before the session ends for
// inactivity, counting down, with "Stay signed in". Before it opens, and again when the count reaches
// zero, it asks the server how long is left: activity in another tab keeps this one signed in too.

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

async function secondsLeft(statusUrl) {
  try {
    const response = await fetch(statusUrl, { headers: { Accept: "application/json" }, redirect: "manual" });
    if (!response.ok) return 0;
    return (await response.json()).seconds_left;
  } catch {
    return null; // offline: keep counting on this page's clock
  }
}

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const warning = Number(dialog.dataset.warning);
  const statusUrl = dialog.dataset.statusUrl;
  const countdown = dialog.querySelector("[data-countdown]");
  const announcement = dialog.querySelector("[data-countdown-announcement]");
  const stayForm = dialog.querySelector("[data-stay-signed-in]");
  let timer = null;
  let endsAt = Date.now() + Number(dialog.dataset.timeout) * 1000;
  let returnFocusTo = null;

  function schedule(seconds) {
    endsAt = Date.now() + seconds * 1000;
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, seconds - warning) * 1000);
  }

  async function check() {
    const left = await secondsLeft(statusUrl);
    const remaining = left ?? Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    if (remaining === 0) {
      window.location.reload(); // the server has signed this session out and shows the sign-in page
    } else if (remaining > warning) {
      close();
      schedule(remaining);
    } else {
      open(remaining);
    }
  }

  function open(remaining) {
    endsAt = Date.now() + remaining * 1000;
    if (!dialog.open) {
      returnFocusTo = document.activeElement;
      dialog.showModal();
      dialog.focus();
      announcement.textContent = `For your security, we will sign you out in ${describe(remaining)}.`;
    }
    tick();
  }

  function tick() {
    const remaining = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    countdown.textContent = describe(remaining);
    if (remaining === 20) announcement.textContent = `We will sign you out in ${describe(remaining)}.`;
    clearTimeout(timer);
    timer = remaining > 0 ? setTimeout(tick, 1000) : setTimeout(check, 0);
  }

  function close() {
    if (dialog.open) dialog.close();
    if (returnFocusTo) returnFocusTo.focus();
    returnFocusTo = null;
  }

  stayForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(stayForm.action, { method: "POST", body: new FormData(stayForm) });
    if (!response.ok) return window.location.reload();
    close();
    schedule((await response.json()).seconds_left);
  });
  // Escape closes a modal dialog; here it means "stay signed in", as the pattern's close does.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stayForm.requestSubmit();
  });

  schedule(Number(dialog.dataset.timeout));
}
