"use client";
import { useRef, useState } from "react";
import { FormField } from "@/components/ui/Field";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, inputClass, secondaryButtonClass } from "@/components/ui/styles";

/**
 * The agenda as plain text for the list: edited here, then copied or downloaded as a
 * .txt file. Nothing is stored; "Start again" brings back the generated draft.
 */
export function AgendaTextEditor({ text, filename }: { text: string; filename: string }) {
  const [value, setValue] = useState(text);
  const [status, setStatus] = useState("");
  const areaRef = useRef<HTMLTextAreaElement>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus("Copied to the clipboard.");
    } catch {
      // No clipboard permission (or not a secure context): select it for Ctrl+C instead.
      areaRef.current?.select();
      setStatus("Your browser did not allow copying; the text is selected, press Ctrl+C.");
    }
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([value.endsWith("\n") ? value : `${value}\n`], { type: "text/plain;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setStatus(`Downloaded ${filename}.`);
  };

  return (
    <div className="space-y-2">
      <FormField id="agenda-text" label="Plain text for the list" hint="Edit freely; copy or download when it reads right. Nothing here is saved.">
        {(control) => (
          <textarea
            ref={areaRef}
            rows={Math.min(40, value.split("\n").length + 2)}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            className={`${inputClass} font-mono text-sm`}
            spellCheck
            {...control}
          />
        )}
      </FormField>
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={buttonClass} onClick={() => void copy()}>
          Copy text
        </button>
        <button type="button" className={secondaryButtonClass} onClick={download}>
          Download .txt
        </button>
        <button
          type="button"
          className={secondaryButtonClass}
          onClick={() => {
            setValue(text);
            setStatus("Back to the generated draft.");
          }}
          disabled={value === text}
        >
          Start again
        </button>
        <Notice as="span" role="status" plain tone="ok">
          {status}
        </Notice>
      </div>
    </div>
  );
}
